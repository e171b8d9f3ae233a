enum PlaceholderMM {}
