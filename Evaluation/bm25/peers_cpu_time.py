"""Runs ../shared/peers/bm25_peers.py with its timer switched to this thread's CPU time, so its
qps compares with `kohybrid bench bm25`'s qps_cpu on a busy shared machine (wall-clock qps there
mostly measures the other processes). tantivy and bm25s (n_threads=1) search in the calling thread.

  cd ../shared/peers && python /path/to/peers_cpu_time.py --corpus ../corpora/kobest-boolq --tokenizer kiwi --engines tantivy --k 10
"""
import os
import runpy
import sys
import time

time.perf_counter = time.thread_time
sys.path.insert(0, os.getcwd())   # the peers' own beir.py and tokenizers.py, as when run directly
sys.argv[0] = "bm25_peers.py"
runpy.run_path("bm25_peers.py", run_name="__main__")
