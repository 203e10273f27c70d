"""One router per resource of CONTRACT.md §2."""
