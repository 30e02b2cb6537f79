# Shortcuts; the scripts are the source of truth (they work without make, too).
.PHONY: serve test update lint

serve:
	bash scripts/serve

test:
	bash scripts/test

update:
	bash scripts/test tests/engine --update-snippets

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
