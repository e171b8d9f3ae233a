enum PlaceholderTaxLinkAdapters {}
