"""Per-file cost of one text file per document: read every corpus/texts/*.txt vs the same bytes from one file.

    python benchmarks/text_files.py CORPUS_ROOT

Prints the listing time, the time to open and read each file (best of 2) and the time to read the same
bytes concatenated into one temporary file. Findings in BENCHMARKS.md ("the floor", "a million documents").
"""
import os, sys, time, gc
root = sys.argv[1]; d = os.path.join(root, "corpus", "texts")
gc.disable()
T = time.perf_counter
t = T(); names = sorted(e.name for e in os.scandir(d)); t_list = T() - t
def read_files():
    total = 0
    for n in names:
        with open(os.path.join(d, n), "rb") as h:
            total += len(h.read())
    return total
t = T(); total = read_files(); t_files = T() - t
t = T(); total = read_files(); t_files2 = T() - t
import tempfile
pack = os.path.join(tempfile.mkdtemp(), "pack.bin")
with open(pack, "wb") as out:
    for n in names:
        with open(os.path.join(d, n), "rb") as h:
            out.write(h.read())
def read_pack():
    with open(pack, "rb") as h:
        return len(h.read())
t = T(); read_pack(); t_pack = T() - t
t = T(); read_pack(); t_pack2 = T() - t
os.unlink(pack)
n = len(names)
print(f"{n} files, {total/2**20:.1f} MiB; listing+sort {t_list:.3f} s; read each file {min(t_files, t_files2):.3f} s "
      f"({min(t_files, t_files2)/n*1e6:.1f} us/file); same bytes from one file {min(t_pack, t_pack2):.3f} s; load {os.getloadavg()}")
