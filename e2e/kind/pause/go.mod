module tunnelier.io/e2e/kind/pause

go 1.26.0
