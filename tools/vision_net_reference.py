#!/usr/bin/env python3
"""Independent reference for the Vision networks (numpy, float64, NCHW, unfolded batch norm).

Written from the architecture descriptions, not from the Swift code:
- ResNet-50 v1.5 as torchvision `models/resnet.py` builds it (stride on the bottleneck's 3x3 conv2).
- EfficientNet-Lite0 as lukemelas/ml-illustrated EfficientNet-Lite-PyTorch: ReLU6, no squeeze-excite,
  TensorFlow "SAME" padding (computed from the input size, smaller half first), BN eps 1e-3.
- Synthetic weights: the same seeded formula as Sources/Vision/Networks/SyntheticWeights.swift.
- A legacy/zip .pth reader through Python's own pickle module with stand-in torch globals.

Commands:
  fixtures              write Tests/VisionTests/Fixtures/vision_net_*.json (random-weight features,
                        and real EfficientNet-Lite0 features/logits when the weights file exists)
  checkpoints           write tiny legacy and zip .pth files for the checkpoint-reader tests
  bn-check DIR [N]      batch-norm statistics check of EfficientNet-Lite0 on N JPEGs of DIR, for both
                        input normalizations (TF-lite (x-127)/128 and ImageNet mean/std)
  onnx-bench [THREADS [SECONDS]]  ResNet-50 (random weights) as an ONNX graph, timed with onnxruntime at 224x224, b1 and b8
  onnx-profile [THREADS [RUNS]]   the same graph's per-layer medians from onnxruntime's profiler, in ms per image
                                  (torchvision names, to set beside `animepop-bench vision --profile --each`)
"""
import collections
import io
import json
import math
import os
import pickle
import struct
import sys
import time
import types
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "VisionTests", "Fixtures")
WEIGHTS = os.path.join(os.environ.get("ANIMEPOP_CACHE", os.path.expanduser("~/.cache/animepop")),
                       "efficientnet-lite0-57934424.pth")

# ---------------------------------------------------------------- synthetic weights (same formula as Swift)

def fnv1a(text):
    h = 0x811C9DC5
    for b in text.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def uniforms(key, seed, count):
    base = np.uint32(fnv1a(key) ^ seed)
    with np.errstate(over="ignore"):
        x = base + np.arange(count, dtype=np.uint64).astype(np.uint32) * np.uint32(0x9E3779B9)
        x ^= x >> np.uint32(16); x *= np.uint32(0x85EBCA6B)
        x ^= x >> np.uint32(13); x *= np.uint32(0xC2B2AE35)
        x ^= x >> np.uint32(16)
    return (x >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -24)


def synthetic_state_dict(shapes, seed):
    out = {}
    f = np.float32
    for key, shape in shapes:
        u = uniforms(key, seed, int(np.prod(shape)))
        if key.endswith("running_var"):
            v = f(0.5) + u
        elif key.endswith("running_mean") or key.endswith(".bias"):
            v = f(0.2) * u - f(0.1)
        elif len(shape) == 1:
            v = f(0.5) + f(0.5) * u
        else:
            fan_in = int(np.prod(shape[1:]))
            v = (f(2) * u - f(1)) * f(math.sqrt(6.0 / fan_in))
        out[key] = v.astype(np.float32).reshape(shape)
    return out


def synthetic_input(n, h, w, seed):
    """NHWC, values 4u - 2, as Swift's SyntheticWeights.input."""
    return (np.float32(4) * uniforms("input", seed, n * h * w * 3) - np.float32(2)).reshape(n, h, w, 3)

# ---------------------------------------------------------------- numpy layers (NCHW, float64)

def conv2d(x, w, stride, pads, groups=1):
    """x [N,C,H,W], w [O,C/groups,k,k]; pads (top, bottom, left, right) zeros."""
    top, bottom, left, right = pads
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    k = w.shape[2]
    n, c, h, wd = x.shape
    oh, ow = (h - k) // stride + 1, (wd - k) // stride + 1
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :oh, :ow]
    if groups == 1:
        return np.einsum("nchwij,ocij->nohw", win, w, optimize=True)
    # depthwise: groups == channels, w [C,1,k,k]
    return np.einsum("nchwij,cij->nchw", win, w[:, 0], optimize=True)


def same_pads(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def batch_norm(x, sd, prefix, eps, probe=None):
    if probe is not None:
        probe.append((prefix, x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3)),
                      sd[prefix + ".running_mean"], sd[prefix + ".running_var"]))
    g = lambda name: sd[prefix + "." + name].astype(np.float64)[None, :, None, None]
    return (x - g("running_mean")) / np.sqrt(g("running_var") + eps) * g("weight") + g("bias")


relu = lambda x: np.maximum(x, 0)
relu6 = lambda x: np.minimum(np.maximum(x, 0), 6)

# ---------------------------------------------------------------- ResNet-50 (torchvision)

RESNET_DEPTHS, RESNET_WIDTHS = [3, 4, 6, 3], [64, 128, 256, 512]


def resnet50_shapes():
    s = [("conv1.weight", [64, 3, 7, 7])] + bn_shapes("bn1", 64)
    cin = 64
    for stage, (depth, width) in enumerate(zip(RESNET_DEPTHS, RESNET_WIDTHS)):
        for i in range(depth):
            p = f"layer{stage + 1}.{i}."
            s += [(p + "conv1.weight", [width, cin, 1, 1])] + bn_shapes(p + "bn1", width)
            s += [(p + "conv2.weight", [width, width, 3, 3])] + bn_shapes(p + "bn2", width)
            s += [(p + "conv3.weight", [4 * width, width, 1, 1])] + bn_shapes(p + "bn3", 4 * width)
            if i == 0:
                s += [(p + "downsample.0.weight", [4 * width, cin, 1, 1])] + bn_shapes(p + "downsample.1", 4 * width)
            cin = 4 * width
    return s + [("fc.weight", [1000, 2048]), ("fc.bias", [1000])]


def bn_shapes(prefix, c):
    return [(f"{prefix}.{n}", [c]) for n in ("weight", "bias", "running_mean", "running_var")]


def resnet50(sd, x_nhwc):
    eps = 1e-5
    w = lambda k: sd[k].astype(np.float64)
    x = np.transpose(x_nhwc.astype(np.float64), (0, 3, 1, 2))
    x = relu(batch_norm(conv2d(x, w("conv1.weight"), 2, (3, 3, 3, 3)), sd, "bn1", eps))
    x = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    n, c, h, wd = x.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(2, 3))[:, :, ::2, ::2]
    x = win.max(axis=(4, 5))[:, :, :(h - 3) // 2 + 1, :(wd - 3) // 2 + 1]
    for stage, depth in enumerate(RESNET_DEPTHS):
        for i in range(depth):
            p = f"layer{stage + 1}.{i}."
            s = 2 if stage > 0 and i == 0 else 1
            out = relu(batch_norm(conv2d(x, w(p + "conv1.weight"), 1, (0, 0, 0, 0)), sd, p + "bn1", eps))
            out = relu(batch_norm(conv2d(out, w(p + "conv2.weight"), s, (1, 1, 1, 1)), sd, p + "bn2", eps))
            out = batch_norm(conv2d(out, w(p + "conv3.weight"), 1, (0, 0, 0, 0)), sd, p + "bn3", eps)
            identity = x
            if i == 0:
                identity = batch_norm(conv2d(x, w(p + "downsample.0.weight"), s, (0, 0, 0, 0)), sd, p + "downsample.1", eps)
            x = relu(out + identity)
    features = x.mean(axis=(2, 3))
    return features, features @ w("fc.weight").T + w("fc.bias")

# ---------------------------------------------------------------- EfficientNet-Lite0 (lukemelas names)

# (repeats, kernel, stride, expansion, in, out) — efficientnet-b0 block strings, width = depth = 1.0
LITE0_STAGES = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
                (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320)]


def lite0_blocks():
    for r, k, s, e, cin, cout in LITE0_STAGES:
        for i in range(r):
            yield k, (s if i == 0 else 1), e, (cin if i == 0 else cout), cout


def lite0_shapes():
    s = [("_conv_stem.weight", [32, 3, 3, 3])] + bn_shapes("_bn0", 32)
    for b, (k, st, e, cin, cout) in enumerate(lite0_blocks()):
        p, hid = f"_blocks.{b}.", cin * e
        if e != 1:
            s += [(p + "_expand_conv.weight", [hid, cin, 1, 1])] + bn_shapes(p + "_bn0", hid)
        s += [(p + "_depthwise_conv.weight", [hid, 1, k, k])] + bn_shapes(p + "_bn1", hid)
        s += [(p + "_project_conv.weight", [cout, hid, 1, 1])] + bn_shapes(p + "_bn2", cout)
    s += [("_conv_head.weight", [1280, 320, 1, 1])] + bn_shapes("_bn1", 1280)
    return s + [("_fc.weight", [1000, 1280]), ("_fc.bias", [1000])]


def same_conv(x, w, stride, groups=1):
    k = w.shape[2]
    t, b = same_pads(x.shape[2], k, stride)
    l, r = same_pads(x.shape[3], k, stride)
    return conv2d(x, w, stride, (t, b, l, r), groups)


def efficientnet_lite0(sd, x_nhwc, probe=None):
    eps = 1e-3
    w = lambda k: sd[k].astype(np.float64)
    x = np.transpose(x_nhwc.astype(np.float64), (0, 3, 1, 2))
    x = relu6(batch_norm(same_conv(x, w("_conv_stem.weight"), 2), sd, "_bn0", eps, probe))
    for b, (k, s, e, cin, cout) in enumerate(lite0_blocks()):
        p, inputs = f"_blocks.{b}.", x
        if e != 1:
            x = relu6(batch_norm(same_conv(x, w(p + "_expand_conv.weight"), 1), sd, p + "_bn0", eps, probe))
        x = relu6(batch_norm(same_conv(x, w(p + "_depthwise_conv.weight"), s, groups=x.shape[1]), sd, p + "_bn1", eps, probe))
        x = batch_norm(same_conv(x, w(p + "_project_conv.weight"), 1), sd, p + "_bn2", eps, probe)
        if s == 1 and cin == cout:
            x = x + inputs
    x = relu6(batch_norm(same_conv(x, w("_conv_head.weight"), 1), sd, "_bn1", eps, probe))
    features = x.mean(axis=(2, 3))
    return features, features @ w("_fc.weight").T + w("_fc.bias")

# ---------------------------------------------------------------- .pth reading/writing with stand-in torch globals

class _Storage:
    def __init__(self, dtype, key, data):
        self.dtype, self.key, self.data = dtype, key, data


STORAGE_DTYPES = {"FloatStorage": np.float32, "HalfStorage": np.float16, "DoubleStorage": np.float64,
                  "LongStorage": np.int64, "IntStorage": np.int32}


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    return ("tensor", storage, offset, tuple(size), tuple(stride))


def read_pth(path):
    """{key: np.ndarray} from a legacy or zip .pth, through Python's pickle with a restricted find_class."""
    data = open(path, "rb").read()
    storages = {}

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return _rebuild_tensor_v2
            if module == "torch" and name in STORAGE_DTYPES:
                return name
            raise pickle.UnpicklingError(f"forbidden global {module}.{name}")

        def persistent_load(self, pid):
            _, kind, key, _, count = pid[:5]
            return storages.setdefault(key, _Storage(STORAGE_DTYPES[kind], key, None))

    if data[:2] == b"PK":
        z = zipfile.ZipFile(io.BytesIO(data))
        name = next(n for n in z.namelist() if n.endswith("data.pkl"))
        sd = Unpickler(io.BytesIO(z.read(name))).load()
        prefix = name[: -len("data.pkl")]
        for key, st in storages.items():
            st.data = np.frombuffer(z.read(prefix + "data/" + key), dtype=st.dtype)
    else:
        f = io.BytesIO(data)
        for _ in range(3):
            Unpickler(f).load()
        sd = Unpickler(f).load()
        keys = Unpickler(f).load()
        for key in keys:
            count, = struct.unpack("<q", f.read(8))
            st = storages[key]
            st.data = np.frombuffer(f.read(count * np.dtype(st.dtype).itemsize), dtype=st.dtype)
    out = {}
    for key, (_, st, offset, size, stride) in sd.items():
        # Tensors converted from TensorFlow are permuted views (e.g. conv weights with strides (1, 32, 288, 96)).
        item = st.data.itemsize
        out[key] = np.lib.stride_tricks.as_strided(st.data[offset:], shape=size, strides=[x * item for x in stride]).astype(np.float32)
    return out


def write_pth(path, tensors, legacy, stride_override=None):
    """Writes `{key: float32 array}` as torch.save would (one storage per tensor, except `shared` pairs),
    using stand-in modules named torch / torch._utils so pickle records the right globals."""
    torch = types.ModuleType("torch"); utils = types.ModuleType("torch._utils")
    class FloatStorage: pass
    FloatStorage.__module__, FloatStorage.__qualname__ = "torch", "FloatStorage"
    def rebuild(*args): pass
    rebuild.__module__, rebuild.__qualname__, rebuild.__name__ = "torch._utils", "_rebuild_tensor_v2", "_rebuild_tensor_v2"
    torch.FloatStorage, utils._rebuild_tensor_v2, torch._utils = FloatStorage, rebuild, utils
    saved = {k: sys.modules.get(k) for k in ("torch", "torch._utils")}
    sys.modules["torch"], sys.modules["torch._utils"] = torch, utils

    class StorageRef:
        def __init__(self, key, data): self.key, self.data = key, data

    class TensorRef:
        def __init__(self, storage, offset, shape, stride): self.args = (storage, offset, shape, stride)
        def __reduce__(self):
            return (rebuild, self.args + (False, collections.OrderedDict()))

    storages, sd = [], collections.OrderedDict()
    for key, value in tensors.items():
        if isinstance(value, tuple):     # ("view", other_key, offset, shape): a view into another tensor's storage
            _, other, offset, shape = value
            st = next(s for s in storages if s.key == other)
            sd[key] = TensorRef(st, offset, tuple(shape), contiguous_strides(shape))
            continue
        st = StorageRef(key.replace(".", "_"), value.astype(np.float32).ravel())
        storages.append(st)
        stride = (stride_override or {}).get(key, contiguous_strides(value.shape))
        sd[key] = TensorRef(st, 0, tuple(value.shape), tuple(stride))

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, StorageRef):
                return ("storage", FloatStorage, obj.key, "cpu", obj.data.size)
            return None

    def dump(obj):
        buf = io.BytesIO(); Pickler(buf, protocol=2).dump(obj); return buf.getvalue()

    try:
        if legacy:
            out = b"".join([pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2), pickle.dumps(1001, protocol=2),
                            pickle.dumps({"protocol_version": 1001, "little_endian": True,
                                          "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2),
                            dump(sd), pickle.dumps([s.key for s in storages], protocol=2)])
            for s in storages:
                out += struct.pack("<q", s.data.size) + s.data.astype("<f4").tobytes()
            open(path, "wb").write(out)
        else:
            entry = lambda name: zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible bytes
            with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
                z.writestr(entry("archive/data.pkl"), dump(sd))
                z.writestr(entry("archive/version"), "3\n")
                for s in storages:
                    z.writestr(entry("archive/data/" + s.key), s.data.astype("<f4").tobytes())
    finally:
        for k, v in saved.items():
            if v is None: sys.modules.pop(k, None)
            else: sys.modules[k] = v


def contiguous_strides(shape):
    strides, acc = [], 1
    for d in reversed(shape):
        strides.insert(0, acc); acc *= d
    return tuple(strides)

# ---------------------------------------------------------------- commands

def real_test_images():
    """Three 224x224 RGB uint8 images from integer formulas (gradients, a checker-ish stripe field, a disc),
    reproduced exactly by Tests/VisionTests/RealWeightsTests.swift — no data files."""
    y, x = np.mgrid[0:224, 0:224].astype(np.int64)
    a = np.stack([x * 255 // 223, y * 255 // 223, (x + y) * 255 // 446], -1)
    b = np.stack([(x * 7 + y * 3) % 256, (x * x + 5 * y) % 256, (x ^ y) % 256], -1)
    disc = ((x - 112) ** 2 + (y - 100) ** 2 < 60 ** 2).astype(np.int64)
    c = np.stack([210 * disc + 20, 120 * disc + 60, 40 + 0 * disc], -1)
    return np.stack([a, b, c]).astype(np.uint8)


def dump_json(name, obj):
    path = os.path.join(FIXTURES, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def rounded(a, digits=7):
    return [float(f"{v:.{digits}g}") for v in np.asarray(a).ravel()]


def command_fixtures():
    cases = []
    sd = synthetic_state_dict(resnet50_shapes(), 7)
    x = synthetic_input(2, 64, 64, 11)
    f, _ = resnet50(sd, x)
    cases.append({"model": "resnet50", "weightSeed": 7, "inputSeed": 11, "batch": 2, "height": 64, "width": 64,
                  "features": rounded(f)})
    sd = synthetic_state_dict(lite0_shapes(), 5)
    for (n, h, w, s) in [(2, 64, 64, 3), (1, 57, 71, 4)]:
        f, _ = efficientnet_lite0(sd, synthetic_input(n, h, w, s))
        cases.append({"model": "efficientnet-lite0", "weightSeed": 5, "inputSeed": s, "batch": n, "height": h,
                      "width": w, "features": rounded(f)})
    dump_json("vision_net_synthetic.json", {"cases": cases})
    if os.path.exists(WEIGHTS):
        sd = read_pth(WEIGHTS)
        images = real_test_images()
        x = (images.astype(np.float32) - np.float32(127)) / np.float32(128)
        f, logits = efficientnet_lite0(sd, x)
        dump_json("vision_net_lite0_real.json", {
            "weights": os.path.basename(WEIGHTS), "normalization": "(x - 127) / 128",
            "images": "real_test_images() in tools/vision_net_reference.py", "batch": 3,
            "features": rounded(f[:, :], 6), "logits": rounded(logits, 6),
            "top5": [list(map(int, np.argsort(-l)[:5])) for l in logits]})
        print("top5", [list(map(int, np.argsort(-l)[:5])) for l in logits])
    else:
        print(f"{WEIGHTS} absent: real-weight fixture not written")


def command_checkpoints():
    rng = np.random.default_rng(3)
    tensors = collections.OrderedDict([
        ("conv.weight", rng.standard_normal((4, 3, 3, 3)).astype(np.float32)),
        ("bn.running_var", rng.random(4).astype(np.float32)),
        ("scalar", np.array(2.5, dtype=np.float32)),
    ])
    full = rng.standard_normal(10).astype(np.float32)
    tensors["base"] = full
    tensors["view"] = ("view", "base", 3, [2, 2])
    for legacy in (True, False):
        path = os.path.join(FIXTURES, f"vision_net_tiny_{'legacy' if legacy else 'zip'}.pth")
        write_pth(path, tensors, legacy)
        print("wrote", path, os.path.getsize(path))
    strided = rng.standard_normal((2, 3)).astype(np.float32)
    # A permuted view (as in the TF-converted EfficientNet-Lite0 file): element [i][j] = storage[i + 2j].
    write_pth(os.path.join(FIXTURES, "vision_net_strided.pth"), {"t": strided}, legacy=False, stride_override={"t": (1, 2)})
    # Strides that reach past the storage's end: must be refused.
    write_pth(os.path.join(FIXTURES, "vision_net_out_of_bounds.pth"), {"t": strided}, legacy=True, stride_override={"t": (4, 1)})
    expected = {k: rounded(v, 9) for k, v in tensors.items() if not isinstance(v, tuple)}
    expected["view"] = rounded(full[3:7], 9)
    expected["strided"] = rounded(strided.ravel()[[0, 2, 4, 1, 3, 5]], 9)
    check = read_pth(os.path.join(FIXTURES, "vision_net_strided.pth"))["t"]
    assert np.array_equal(check.ravel(), strided.ravel()[[0, 2, 4, 1, 3, 5]])
    dump_json("vision_net_tiny_expected.json", expected)
    check = read_pth(os.path.join(FIXTURES, "vision_net_tiny_zip.pth"))
    assert np.array_equal(check["view"].ravel(), full[3:7])


def command_bn_check(directory, limit):
    from PIL import Image
    sd = read_pth(WEIGHTS)
    names = sorted(n for n in os.listdir(directory) if n.lower().endswith((".jpg", ".jpeg")))[:limit]
    images = []
    for n in names:
        im = Image.open(os.path.join(directory, n)).convert("RGB")
        s = 224 / min(im.size)  # resize shorter side to 224, center crop
        im = im.resize((max(224, round(im.size[0] * s)), max(224, round(im.size[1] * s))), Image.BILINEAR)
        l, t = (im.size[0] - 224) // 2, (im.size[1] - 224) // 2
        images.append(np.asarray(im.crop((l, t, l + 224, t + 224)), dtype=np.float32))
    x = np.stack(images)
    mean, std = np.array([0.485, 0.456, 0.406]) * 255, np.array([0.229, 0.224, 0.225]) * 255
    for label, xn in [("tflite (x-127)/128", (x - 127) / 128), ("imagenet mean/std", (x - mean) / std)]:
        probe = []
        efficientnet_lite0(sd, xn.astype(np.float32), probe)
        # Mismatch per layer: mean over channels of |batch mean - running mean| / sqrt(running var),
        # and |log(batch var / running var)|.
        rows = []
        for prefix, bm, bv, rm, rv in probe:
            rows.append((prefix, float(np.mean(np.abs(bm - rm) / np.sqrt(rv + 1e-3))),
                         float(np.mean(np.abs(np.log((bv + 1e-3) / (rv + 1e-3)))))))
        print(f"== {label}: {len(names)} images from {directory}")
        for prefix, dm, dv in rows[:4] + rows[-2:]:
            print(f"  {prefix:28s} mean-mismatch {dm:.3f}  log-var-mismatch {dv:.3f}")
        print(f"  average over {len(rows)} BN layers: mean-mismatch {np.mean([r[1] for r in rows]):.3f}  "
              f"log-var-mismatch {np.mean([r[2] for r in rows]):.3f}")


def onnx_resnet50():
    """ResNet-50 with the synthetic weights (BN folded) as a serialized ONNX model; node names follow torchvision's
    (`layer1.0_c1`, `layer1.0_ds`, ...), with `stem` for conv1."""
    from onnx import TensorProto, helper, numpy_helper
    sd = synthetic_state_dict(resnet50_shapes(), 1)
    nodes, inits = [], []
    def conv_bn(x, conv, bn, stride, pad, act, name):
        w = sd[conv + ".weight"].astype(np.float64)
        g, b, m, v = (sd[f"{bn}.{k}"].astype(np.float64) for k in ("weight", "bias", "running_mean", "running_var"))
        scale = g / np.sqrt(v + 1e-5)
        inits.append(numpy_helper.from_array((w * scale[:, None, None, None]).astype(np.float32), name + "_w"))
        inits.append(numpy_helper.from_array((b - m * scale).astype(np.float32), name + "_b"))
        k = w.shape[2]
        nodes.append(helper.make_node("Conv", [x, name + "_w", name + "_b"], [name], kernel_shape=[k, k],
                                      strides=[stride] * 2, pads=[pad] * 4))
        if act:
            nodes.append(helper.make_node("Relu", [name], [name + "_r"])); return name + "_r"
        return name
    x = conv_bn("input", "conv1", "bn1", 2, 3, True, "stem")
    nodes.append(helper.make_node("MaxPool", [x], ["pool"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
    x = "pool"
    for stage, depth in enumerate(RESNET_DEPTHS):
        for i in range(depth):
            p = f"layer{stage + 1}.{i}"
            s = 2 if stage > 0 and i == 0 else 1
            o = conv_bn(x, p + ".conv1", p + ".bn1", 1, 0, True, p + "_c1")
            o = conv_bn(o, p + ".conv2", p + ".bn2", s, 1, True, p + "_c2")
            o = conv_bn(o, p + ".conv3", p + ".bn3", 1, 0, False, p + "_c3")
            idn = conv_bn(x, p + ".downsample.0", p + ".downsample.1", s, 0, False, p + "_ds") if i == 0 else x
            nodes.append(helper.make_node("Add", [o, idn], [p + "_add"]))
            nodes.append(helper.make_node("Relu", [p + "_add"], [p + "_out"])); x = p + "_out"
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["features"]))
    graph = helper.make_graph(nodes, "resnet50", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 224, 224])],
                              [helper.make_tensor_value_info("features", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return model.SerializeToString()


def command_onnx_bench(threads, seconds=4.0):
    import onnxruntime as ort
    opts = ort.SessionOptions(); opts.intra_op_num_threads = threads; opts.inter_op_num_threads = 1
    session = ort.InferenceSession(onnx_resnet50(), opts, providers=["CPUExecutionProvider"])
    for batch in (1, 8):
        x = np.random.default_rng(0).standard_normal((batch, 3, 224, 224)).astype(np.float32)
        session.run(None, {"input": x})
        best, start = 0.0, time.perf_counter()
        while time.perf_counter() - start < seconds:  # best ~1-second window, as the Swift bench
            runs, window = 0, time.perf_counter()
            while time.perf_counter() - window < 1:
                session.run(None, {"input": x}); runs += 1
            best = max(best, runs * batch / (time.perf_counter() - window))
        print(f"onnxruntime {ort.__version__} resnet50 fp32 threads={threads} batch={batch}: "
              f"{best:.1f} images/s")


def command_onnx_profile(threads, runs=30):
    """onnxruntime's own per-node profile of the same graph: each layer's median over `runs` runs, in ms per image,
    under the torchvision names that `animepop-bench vision --profile --each` prints."""
    import glob
    import statistics
    import tempfile
    import onnxruntime as ort
    names = {"stem": "conv1", "pool": "maxpool", "features": "avgpool"}
    def torchvision(node):
        node = node.replace("_nchwc", "")
        node = node[:-2] if node.endswith("_r") else node
        if node in names:
            return names[node]
        for short, full in (("_c1", ".conv1"), ("_c2", ".conv2"), ("_c3", ".conv3"), ("_ds", ".downsample")):
            node = node.replace(short, full)
        return node
    for batch in (1, 8):
        opts = ort.SessionOptions(); opts.intra_op_num_threads = threads; opts.inter_op_num_threads = 1
        opts.enable_profiling = True
        opts.profile_file_prefix = os.path.join(tempfile.mkdtemp(), "ort")
        session = ort.InferenceSession(onnx_resnet50(), opts, providers=["CPUExecutionProvider"])
        x = np.random.default_rng(0).standard_normal((batch, 3, 224, 224)).astype(np.float32)
        for _ in range(runs):
            session.run(None, {"input": x})
        events = json.load(open(session.end_profiling()))
        samples = collections.defaultdict(list)
        for event in events:
            if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
                samples[torchvision(event["name"][:-len("_kernel_time")])].append(event["dur"] / 1000 / batch)
        total = 0.0
        for name, times in samples.items():
            median = statistics.median(times)
            total += median
            print(f"batch {batch}  {name:20s} {median:7.3f} ms/image")
        print(f"batch {batch}  total (sum of medians) {total:.2f} ms = {1000 / total:.1f} images/s")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "fixtures":
        command_fixtures()
    elif command == "checkpoints":
        command_checkpoints()
    elif command == "bn-check":
        command_bn_check(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 128)
    elif command in ("onnx-profile", "onnx-bench"):
        def positive(index, kind, default, name):
            if len(sys.argv) <= index:
                return default
            try:
                value = kind(sys.argv[index])
            except ValueError:
                value = 0
            if value <= 0:
                sys.exit(f"{command}: {name} must be a positive number, not {sys.argv[index]}")
            return value
        threads = positive(2, int, 2, "THREADS")
        if command == "onnx-profile":
            command_onnx_profile(threads, positive(3, int, 30, "RUNS"))
        else:
            command_onnx_bench(threads, positive(3, float, 4.0, "SECONDS"))
    else:
        print(__doc__); sys.exit(2)
