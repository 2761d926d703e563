#!/usr/bin/env python3
"""gen-estate.py: writes a scenario of a given shape and size to stdout.

  gen-estate.py sites N      N central sites of 1,000 users, each planned on its own
  gen-estate.py paired N     N central sites of 1,000 users, paired two by two
  gen-estate.py branches N   one home site of 10,000 users and N branches on it
  gen-estate.py spokes N     one hub and N spokes of 100 users with dr-site = Hub
  gen-estate.py domains N    one site and N SIP domains

Used by the scale benchmarks (tests/bench/bench-scale.py) and by hand to
profile large estates."""
import sys


def sites(n, out):
    out.append("[scenario]\nname = sites\n")
    for i in range(n):
        out.append(f"[site S{i}]\nusers = 1000\ndr-site = none\n")


def paired(n, out):
    out.append("[scenario]\nname = paired\nrto = 1h\ndr-rto = 8h\n")
    for i in range(n):
        partner = i + 1 if i % 2 == 0 else i - 1
        if partner >= n:
            out.append(f"[site S{i}]\nusers = 1000\ndr-site = none\n")
        else:
            out.append(f"[site S{i}]\nusers = 1000\ndr-site = S{partner}\n")


def branches(n, out):
    out.append("[scenario]\nname = branches\n[site Home]\nusers = 10000\ndr-site = none\n")
    for i in range(n):
        out.append(f"[site B{i}]\nusers = 50\nkind = branch\nhome = Home\n")


def spokes(n, out):
    out.append("[scenario]\nname = spokes\ndr-rto = 1d\n"
               "[site Hub]\nusers = 1000\ndr-site = none\n")
    for i in range(n):
        out.append(f"[site S{i}]\nusers = 100\ndr-site = Hub\n")


def domains(n, out):
    names = ", ".join(f"d{i}.example.com" for i in range(n))
    out.append(f"[scenario]\nname = domains\nsip-domain = {names}\n[site HQ]\nusers = 1000\n")


SHAPES = {"sites": sites, "paired": paired, "branches": branches, "spokes": spokes,
          "domains": domains}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.exit("usage: gen-estate.py sites|paired|branches|spokes|domains N")
    out = []
    SHAPES[sys.argv[1]](int(sys.argv[2]), out)
    sys.stdout.write("".join(out))
