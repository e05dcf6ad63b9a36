"""The pool simulator: replays requests through routing's pure decision (`decide`) to compare
policies on traces, generated pool families and a pool's own exported history. Pure apart
from the command line (cli.py) and the plot (plot.py)."""
