enum PlaceholderTaxLinkIngest {}
