enum PlaceholderTaxLinkServer {}
