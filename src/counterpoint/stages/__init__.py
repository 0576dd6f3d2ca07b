"""One module per stage, same shape in each: REQUIRES, PROVIDES, pure helpers, run(story, res)."""
