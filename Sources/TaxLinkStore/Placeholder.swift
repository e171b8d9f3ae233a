enum PlaceholderTaxLinkStore {}
