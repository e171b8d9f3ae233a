enum PlaceholderTaxLinkOutbox {}
