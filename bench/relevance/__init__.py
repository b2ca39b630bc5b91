"""`make bench-relevance`: a labelled query set (`queries.csv`), its metrics (`metrics`) and the
run on both backends through the search API (`python -m bench.relevance`)."""
