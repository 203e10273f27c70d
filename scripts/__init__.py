"""Scripts of the repository: the README's generated parts, fingerprints of the answers."""
