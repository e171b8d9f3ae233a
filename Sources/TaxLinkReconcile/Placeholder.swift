enum PlaceholderTaxLinkReconcile {}
