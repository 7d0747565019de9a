"""Writes the WAV and .npy fixtures of WAVFileTests and NumPyArrayTests, and expected.json.

Run from the repository root with the project's Python (numpy 2.4, soundfile 0.14, scipy):

    /work/venv/bin/python Tests/Fixtures/data/make_data_fixtures.py

Good WAV files come from Python's `wave` module (16-, 24- and 32-bit integer PCM, mono and
stereo), from soundfile/libsndfile (32-bit float, which it writes with format tag 3, a `fact`
and a `PEAK` chunk; and format="WAVEX", which libsndfile writes as WAVE_FORMAT_EXTENSIBLE,
tag 0xFFFE, with the PCM or IEEE-float subformat GUID), and from `struct` where the layout
itself is the point (a LIST chunk before `data`, an odd-sized unknown chunk with its pad byte).
Good .npy files come from `np.save` (format 1.0) and `np.lib.format.write_array` (2.0, 3.0).

expected.json holds what the other tools decode, never what CellForge decodes: for each good
WAV file its header fields and its samples as soundfile reads them in float64 (integer PCM
divided by 2^(bits-1), float as stored), one list per channel; for each good .npy file its
shape, dtype and values (C order) as NumPy loads them. Every decoded value is written as a
string, Python's repr of the float64, which round-trips exactly: Foundation's JSONSerialization
on Linux parses some JSON numbers a few ulps off, so the tests convert these strings with
Swift's correctly rounded `Double(_:)` instead.

`float_writer_reference.wav` and `npy_writer_reference_*.npy` are the bytes CellForge's
writers must produce for the inputs recorded under "writers": the WAV one is laid out with
`struct` (RIFF/WAVE, an 18-byte `fmt ` chunk with tag 3 and cbSize 0, a `fact` chunk, `data`)
and checked here to load in soundfile and scipy; the .npy ones are `np.save`'s own output.

The bad files each hold one problem that CellForge must refuse (see the tests for which).
"""

import io
import json
import struct
import wave
from pathlib import Path

import numpy as np
import scipy.io.wavfile
import soundfile as sf

HERE = Path(__file__).resolve().parent
GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")


def chunk(tag, payload, declared=None):
    """One RIFF chunk: tag, size (`declared` if given), payload, pad byte if the payload is odd."""
    size = len(payload) if declared is None else declared
    return tag + struct.pack("<I", size) + payload + (b"\0" if len(payload) % 2 else b"")


def riff(*chunks, form=b"WAVE", magic=b"RIFF"):
    body = form + b"".join(chunks)
    return magic + struct.pack("<I", len(body)) + body


def fmt(tag, channels, rate, bits, block_align=None, byte_rate=None, extra=b""):
    block_align = channels * (bits // 8) if block_align is None else block_align
    byte_rate = rate * block_align if byte_rate is None else byte_rate
    return chunk(b"fmt ", struct.pack("<HHIIHH", tag, channels, rate, byte_rate, block_align, bits) + extra)


def extensible(channels, rate, bits, valid_bits, subformat):
    extra = struct.pack("<HHI", 22, valid_bits, 0) + struct.pack("<H", subformat) + GUID_TAIL
    return fmt(0xFFFE, channels, rate, bits, extra=extra)


def write(name, data):
    (HERE / name).write_bytes(data)


def pcm_values(bits, frames, channels, seed):
    """Integer samples including both extremes of the bit depth."""
    rng = np.random.default_rng(seed)
    top = 2 ** (bits - 1)
    values = rng.integers(-top, top, size=(frames, channels), dtype=np.int64)
    values[0, 0], values[1, -1], values[2, 0] = -top, top - 1, 0
    return values


def write_pcm(name, bits, channels, rate, seed):
    values = pcm_values(bits, 40, channels, seed)
    raw = b"".join(int(v).to_bytes(bits // 8, "little", signed=True) for v in values.reshape(-1))
    with wave.open(str(HERE / name), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(bits // 8)
        w.setframerate(rate)
        w.writeframes(raw)


def float_signal(frames, channels, seed):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(frames, channels)).astype(np.float32)
    values[0, 0], values[1, -1] = -1.0, 1.5  # float WAV stores values beyond [-1, 1) as they are
    return values


def soundfile_bytes(values, rate, subtype, format="WAV"):
    buffer = io.BytesIO()
    sf.write(buffer, values, rate, format=format, subtype=subtype)
    return buffer.getvalue()


def good_wavs():
    write_pcm("pcm16_mono.wav", 16, 1, 8000, 1)
    write_pcm("pcm16_stereo.wav", 16, 2, 44100, 2)
    write_pcm("pcm24_mono.wav", 24, 1, 48000, 3)
    write_pcm("pcm24_stereo.wav", 24, 2, 22050, 4)
    write_pcm("pcm32_mono.wav", 32, 1, 16000, 5)
    write_pcm("pcm32_stereo.wav", 32, 2, 96000, 6)
    write("float32_mono.wav", soundfile_bytes(float_signal(40, 1, 7), 44100, "FLOAT"))
    write("float32_stereo.wav", soundfile_bytes(float_signal(30, 2, 8), 48000, "FLOAT"))
    write("extensible_float32_mono.wav", soundfile_bytes(float_signal(20, 1, 9), 32000, "FLOAT", format="WAVEX"))
    pcm = pcm_values(16, 20, 2, 10).astype(np.int16)
    write("extensible_pcm16_stereo.wav", soundfile_bytes(pcm, 11025, "PCM_16", format="WAVEX"))
    samples = pcm_values(16, 12, 1, 11).astype("<i2").tobytes()
    info = chunk(b"LIST", b"INFO" + chunk(b"ISFT", b"CellForge fixture\0"))
    write("list_before_data.wav", riff(fmt(1, 1, 8000, 16), info, chunk(b"data", samples)))
    samples = pcm_values(16, 10, 2, 12).astype("<i2").tobytes()
    write("odd_chunk.wav", riff(chunk(b"junk", b"abc"), fmt(1, 2, 8000, 16), chunk(b"zzzz", b"odd"), chunk(b"data", samples)))
    for name in ["pcm16_mono", "pcm16_stereo", "pcm24_mono", "pcm24_stereo", "pcm32_mono", "pcm32_stereo",
                 "float32_mono", "float32_stereo", "extensible_float32_mono", "extensible_pcm16_stereo",
                 "list_before_data", "odd_chunk"]:
        yield name


def bad_wavs():
    mono16 = pcm_values(16, 8, 1, 20).astype("<i2").tobytes()
    with wave.open(str(HERE / "bad_pcm8.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes(range(120, 136)))
    write("bad_float64.wav", soundfile_bytes(np.zeros((8, 1)), 8000, "DOUBLE"))
    write("bad_ulaw.wav", soundfile_bytes(np.zeros((8, 1)), 8000, "ULAW"))
    write("bad_alaw.wav", soundfile_bytes(np.zeros((8, 1)), 8000, "ALAW"))
    write("bad_ima_adpcm.wav", soundfile_bytes(np.zeros((8, 1)), 8000, "IMA_ADPCM"))
    write("bad_pcm12.wav", riff(fmt(1, 1, 8000, 12, block_align=2), chunk(b"data", mono16)))
    write("bad_float16.wav", riff(fmt(3, 1, 8000, 16), chunk(b"data", mono16)))
    write("bad_rf64.wav", riff(fmt(1, 1, 8000, 16), chunk(b"data", mono16), magic=b"RF64"))
    write("bad_rifx.wav", riff(fmt(1, 1, 8000, 16), chunk(b"data", mono16), magic=b"RIFX"))
    write("bad_not_wave.wav", riff(chunk(b"data", mono16), form=b"AVI "))
    write("bad_no_fmt.wav", riff(chunk(b"data", mono16)))
    write("bad_no_data.wav", riff(fmt(1, 1, 8000, 16), chunk(b"LIST", b"INFO")))
    write("bad_zero_channels.wav", riff(fmt(1, 0, 8000, 16, block_align=2), chunk(b"data", mono16)))
    write("bad_zero_rate.wav", riff(fmt(1, 1, 0, 16), chunk(b"data", mono16)))
    write("bad_block_align.wav", riff(fmt(1, 2, 8000, 16, block_align=2), chunk(b"data", mono16)))
    write("bad_byte_rate.wav", riff(fmt(1, 1, 8000, 16, byte_rate=8000), chunk(b"data", mono16)))
    write("bad_truncated_frame.wav", riff(fmt(1, 2, 8000, 16), chunk(b"data", mono16[:10])))
    whole = riff(fmt(1, 1, 8000, 16), chunk(b"data", mono16))
    write("bad_truncated_file.wav", whole[:-6])  # the RIFF and data sizes still count the lost bytes
    cut = riff(fmt(1, 1, 8000, 16), chunk(b"data", mono16, declared=len(mono16) + 8))
    write("bad_chunk_past_end.wav", cut)
    write("bad_extensible_valid_bits.wav", riff(extensible(1, 8000, 32, 24, 1), chunk(b"data", mono16)))
    write("bad_extensible_alaw.wav", riff(extensible(1, 8000, 16, 16, 6), chunk(b"data", mono16)))
    nan = struct.pack("<4f", 0.5, float("nan"), 0.25, 0.0)
    write("bad_nan.wav", riff(fmt(3, 1, 8000, 32), chunk(b"data", nan)))
    inf = struct.pack("<4f", 0.5, 0.0, 0.25, float("-inf"))
    write("bad_inf_stereo.wav", riff(fmt(3, 2, 8000, 32), chunk(b"data", inf)))


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array, allow_pickle=True)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


def raw_npy(header, payload=b"", version=1):
    """A .npy file with a hand-written header dict (padded as NumPy pads it)."""
    text = header.encode("latin1" if version < 3 else "utf-8")
    length_size = 2 if version == 1 else 4
    pad = -(6 + 2 + length_size + len(text) + 1) % 64
    text += b" " * pad + b"\n"
    return b"\x93NUMPY" + bytes([version, 0]) + len(text).to_bytes(length_size, "little") + text + payload


def good_npys():
    rng = np.random.default_rng(30)
    arrays = {
        "f4_1d": rng.standard_normal(17).astype("<f4"),
        "f8_1d": rng.standard_normal(9),
        "f4_2d": rng.standard_normal((4, 3)).astype("<f4"),
        "f8_3d": rng.standard_normal((2, 3, 2)),
        "f4_0d": np.array(3.25, dtype="<f4"),
        "f8_0d": np.array(-0.1),
        "f4_empty": np.zeros(0, dtype="<f4"),
        "f8_empty_2d": np.zeros((3, 0)),
    }
    for name, array in arrays.items():
        write(name + ".npy", npy_bytes(array))
        yield name, array
    array = rng.standard_normal((2, 5)).astype("<f4")
    write("f4_v2.npy", npy_bytes(array, version=(2, 0)))
    yield "f4_v2", array
    array = rng.standard_normal(6)
    write("f8_v3.npy", npy_bytes(array, version=(3, 0)))
    yield "f8_v3", array
    array = rng.standard_normal((2, 2)).astype("<f4")
    header = '{"shape":(2,2,),"fortran_order":False,"descr":"<f4"}'
    write("f4_handwritten_header.npy", raw_npy(header, array.tobytes()))
    yield "f4_handwritten_header", array


def bad_npys():
    write("bad_int16.npy", npy_bytes(np.arange(4, dtype="<i2")))
    write("bad_uint8.npy", npy_bytes(np.arange(4, dtype="u1")))
    write("bad_bool.npy", npy_bytes(np.array([True, False])))
    write("bad_complex64.npy", npy_bytes(np.zeros(2, dtype="<c8")))
    write("bad_float16.npy", npy_bytes(np.zeros(2, dtype="<f2")))
    write("bad_object.npy", npy_bytes(np.array([1.0, "a"], dtype=object)))
    write("bad_structured.npy", npy_bytes(np.zeros(2, dtype=[("a", "<f4"), ("b", "<f4")])))
    write("bad_big_endian.npy", npy_bytes(np.arange(3, dtype=">f4")))
    write("bad_fortran.npy", npy_bytes(np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3))))
    write("bad_nan.npy", npy_bytes(np.array([[1.0, 2.0], [np.nan, 4.0]], dtype="<f4")))
    write("bad_inf.npy", npy_bytes(np.array([1.0, 2.0, -np.inf])))
    good = npy_bytes(np.arange(4, dtype="<f4"))
    write("bad_magic.npy", b"\x93NUMPZ" + good[6:])
    write("bad_version.npy", good[:6] + b"\x04\x00" + good[8:])
    write("bad_short_data.npy", good[:-2])
    write("bad_long_data.npy", good + b"\0\0\0\0")
    write("bad_missing_shape.npy", raw_npy("{'descr': '<f4', 'fortran_order': False}", bytes(4)))
    write("bad_shape_overflow.npy", raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 8)}"))
    write("bad_header_syntax.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,]}", bytes(8)))


def writer_references():
    """The bytes CellForge's writers must produce, and the inputs they are produced from."""
    samples = [0.0, 0.5, -0.25, 1.0, -1.0, 0.125, 3.0]
    rate = 22050
    payload = struct.pack(f"<{len(samples)}f", *samples)
    fmt_chunk = chunk(b"fmt ", struct.pack("<HHIIHHH", 3, 1, rate, rate * 4, 4, 32, 0))
    data = riff(fmt_chunk, chunk(b"fact", struct.pack("<I", len(samples))), chunk(b"data", payload))
    write("float_writer_reference.wav", data)
    read, read_rate = sf.read(HERE / "float_writer_reference.wav", dtype="float64")
    assert read_rate == rate and read.tolist() == samples, "soundfile reads the writer reference differently"
    scipy_rate, scipy_read = scipy.io.wavfile.read(HERE / "float_writer_reference.wav")
    assert scipy_rate == rate and scipy_read.dtype == np.float32 and scipy_read.tolist() == samples
    values = [0.5, -1.5, 2.25, 0.0, 7.0, -3.125]
    npys = {}
    for descr, name in [("<f4", "float32"), ("<f8", "float64")]:
        for shape in [(6,), (2, 3), (3, 1, 2)]:
            file = f"npy_writer_reference_{name}_{'x'.join(map(str, shape))}.npy"
            write(file, npy_bytes(np.array(values, dtype=descr).reshape(shape)))
            npys[file] = {"dtype": name, "shape": list(shape)}
    write("npy_writer_reference_float64_0d.npy", npy_bytes(np.array(2.5)))
    npys["npy_writer_reference_float64_0d.npy"] = {"dtype": "float64", "shape": [], "values": [2.5]}
    write("npy_writer_reference_float32_empty.npy", npy_bytes(np.zeros((0, 4), dtype="<f4")))
    npys["npy_writer_reference_float32_empty.npy"] = {"dtype": "float32", "shape": [0, 4], "values": []}
    for entry in npys.values():
        entry.setdefault("values", values)
    for entry in npys.values():
        entry["values"] = exact(entry["values"])
    return {"wav": {"file": "float_writer_reference.wav", "sample_rate": rate, "samples": exact(samples)}, "npy": npys}


def exact(values):
    """Values as the repr strings of their float64s (see the module's documentation)."""
    return [repr(float(v)) for v in values]


def main():
    expected = {"wav": {}, "npy": {}}
    for name in good_wavs():
        with sf.SoundFile(HERE / f"{name}.wav") as f:
            samples = f.read(dtype="float64", always_2d=True)
            subtype = f.subtype
            expected["wav"][name + ".wav"] = {
                "sample_rate": f.samplerate,
                "channels": f.channels,
                "frames": f.frames,
                "encoding": {"PCM_16": "pcm16", "PCM_24": "pcm24", "PCM_32": "pcm32", "FLOAT": "float32"}[subtype],
                "samples": [exact(channel) for channel in samples.T],
            }
    bad_wavs()
    for name, array in good_npys():
        loaded = np.load(HERE / f"{name}.npy")
        assert loaded.dtype == array.dtype and np.array_equal(loaded, array)
        expected["npy"][name + ".npy"] = {
            "dtype": {"<f4": "float32", "<f8": "float64"}[loaded.dtype.str],
            "shape": list(loaded.shape),
            "values": exact(loaded.reshape(-1)),
        }
    bad_npys()
    expected["writers"] = writer_references()
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
