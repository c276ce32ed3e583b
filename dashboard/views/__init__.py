"""What a view shows: the view state (the URL), links, charts, words and number formats."""
