"""Reading the binary PPM files the project's image-convert writes, with Python alone, for the
scripts that measure or prepare pictures outside the package."""


def read_ppm_bytes(path):
    """A binary PPM (P6, 8 bits): (width, height, its RGB bytes row by row)."""
    data = open(path, "rb").read()
    fields, position = [], 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        if data[position:position + 1] == b"#":
            position = data.index(b"\n", position)
            continue
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError(f"{path}: expected an 8-bit P6 file")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1:position + 1 + width * height * 3]
