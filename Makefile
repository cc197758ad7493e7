.PHONY: open test notebooks check lint format bench
open:        ## set up and open the course in JupyterLab
	./course.sh open
test:        ## set up and run every test
	./course.sh test
notebooks:   ## rebuild source/*.ipynb from their .py and regenerate release/
	.venv/bin/python -m tools.build
check:       ## fail if source/*.ipynb or release/ are out of date
	.venv/bin/python -m tools.build --check
lint:
	.venv/bin/ruff check course tools tests benchmarks
format:
	.venv/bin/ruff format course tools tests benchmarks
bench:       ## print notebook execution times and first-cell cost
	.venv/bin/python benchmarks/notebook_times.py
