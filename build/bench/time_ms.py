"""Runs a command and prints how long it took in milliseconds (its output goes to stderr)."""
import subprocess, sys, time

t0 = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=sys.stderr)
print(round((time.perf_counter() - t0) * 1000))
