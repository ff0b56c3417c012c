#!/usr/bin/python3
"""Cuts the first row group out of the real flights-3m.parquet, and samples the matching rows of flights-3m.csv.

Writes, into this folder:
  flights-rg0.parquet      the first row group (272 727 rows, all five columns) of ../shared/datasets/flights-3m.parquet.
                           The column chunks (Polars' own ZSTD pages) are copied byte for byte; only the footer is
                           rewritten: num_rows and the row-group list now name that one row group. Offsets are
                           unchanged because the file keeps its first bytes as they are.
  flights-rg0-sample.csv   row (0-based), distance, hour, day_of_year, delay: every 97th row of the first 272 727 data
                           rows of ../shared/datasets/flights-3m.csv, and the last of them — an independent reference
                           for what a Parquet reader must read from flights-rg0.parquet.

No Parquet library is used (none is installed): the footer is Thrift compact protocol, walked and re-emitted here.
Run from this folder:  /usr/bin/python3 make_flights_parquet.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, '..', '..', '..', '..', '..', 'shared', 'datasets')
SAMPLE_EVERY = 97


class Compact:
    """Just enough of the Thrift compact protocol to walk a Parquet FileMetaData and locate its fields' bytes."""

    def __init__(self, data, pos):
        self.b, self.p = data, pos

    def byte(self):
        v = self.b[self.p]
        self.p += 1
        return v

    def varint(self):
        result = shift = 0
        while True:
            x = self.byte()
            result |= (x & 0x7F) << shift
            shift += 7
            if not x & 0x80:
                return result

    def zigzag(self):
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def value(self, t):
        if t in (1, 2):
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            self.p += 8
            return None
        if t == 8:
            n = self.varint()
            v = self.b[self.p:self.p + n]
            self.p += n
            return v
        if t in (9, 10):
            return self.list()
        if t == 12:
            return self.struct()
        raise ValueError(f'unsupported compact type {t}')

    def list(self):
        h = self.byte()
        n, element = h >> 4, h & 15
        if n == 15:
            n = self.varint()
        items = []
        for _ in range(n):
            start = self.p
            v = bool(self.byte()) if element in (1, 2) else self.value(element)
            items.append((v, start, self.p))
        return items

    def struct(self):
        """{field id: (type, value, start, end)}, start/end the field's bytes including its header."""
        fields, fid = {}, 0
        while True:
            start = self.p
            h = self.byte()
            if h == 0:
                return fields
            t, delta = h & 15, h >> 4
            fid = fid + delta if delta else self.zigzag()
            v = self.value(t)
            fields[fid] = (t, v, start, self.p)


def zigzag_varint(v):
    z = (v << 1) ^ (v >> 63)
    out = bytearray()
    while True:
        if z < 0x80:
            out.append(z)
            return bytes(out)
        out.append((z & 0x7F) | 0x80)
        z >>= 7


def main():
    data = open(os.path.join(SHARED, 'flights-3m.parquet'), 'rb').read()
    assert data[:4] == b'PAR1' and data[-4:] == b'PAR1'
    footer_length = int.from_bytes(data[-8:-4], 'little')
    footer_start = len(data) - 8 - footer_length
    meta = Compact(data, footer_start).struct()
    row_groups = meta[4][1]
    first, first_start, first_end = row_groups[0]
    rows = first[3][1]
    # The first row group's chunks lie between the magic and the second group's first chunk.
    def chunk_start(chunk):
        md = chunk[0][3][1]
        return min(md[9][1], md[11][1]) if 11 in md else md[9][1]
    cut = min(chunk_start(c) for c in row_groups[1][0][1][1])
    for c in first[1][1]:
        md = c[0][3][1]
        assert chunk_start(c) + md[7][1] <= cut

    # Fields 1-2 (version, schema) as they are; field 3 (num_rows) and 4 (row groups) rewritten; the rest as they are.
    t3, _, s3, _ = meta[3]
    _, _, s4, _ = meta[4]
    assert data[s3] >> 4 == 1 and data[s4] >> 4 == 1, 'fields 3 and 4 must follow 2 and 3 directly'
    footer = (data[footer_start:s3]
              + bytes([data[s3]]) + zigzag_varint(rows)
              + bytes([data[s4], (1 << 4) | 12]) + data[first_start:first_end]
              + data[meta[4][3]:len(data) - 8])
    out = data[:cut] + footer + len(footer).to_bytes(4, 'little') + b'PAR1'
    with open(os.path.join(HERE, 'flights-rg0.parquet'), 'wb') as f:
        f.write(out)

    with open(os.path.join(SHARED, 'flights-3m.csv')) as src, open(os.path.join(HERE, 'flights-rg0-sample.csv'), 'w') as dst:
        header = src.readline().strip()
        assert header == 'distance,hour,day_of_year,delay', header
        dst.write('row,' + header + '\n')
        for i in range(rows):
            line = src.readline().strip()
            if i % SAMPLE_EVERY == 0 or i == rows - 1:
                dst.write(f'{i},{line}\n')
    print(f'{rows} rows, {len(out)} bytes')


if __name__ == '__main__':
    main()
