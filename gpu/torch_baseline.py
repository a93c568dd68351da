"""PyTorch's LRN and a device copy on the same GPU and shape as lrn-gpu bench (a peer, measured in the same run).

CUDA events around 50 launches after a warm-up, median of 5; GB/s counts 8 bytes per element (read and write).
"""
import torch

def timed(fn, launches=50, repeats=5):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    means = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(launches):
            fn()
        end.record()
        torch.cuda.synchronize()
        means.append(start.elapsed_time(end) / launches)
    return sorted(means)[repeats // 2]

for shape in [(128, 96, 55, 55), (8, 96, 55, 55)]:
    x = torch.randn(shape, device="cuda") * 30
    y = torch.empty_like(x)
    lrn = torch.nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2)
    n = x.numel()
    rows = [("torch copy_", timed(lambda: y.copy_(x)))]
    rows.append(("torch LocalResponseNorm forward", timed(lambda: lrn(x))))
    xg = x.clone().requires_grad_(True)
    g = torch.randn_like(x)
    rows.append(("torch LocalResponseNorm forward+backward", timed(lambda: torch.autograd.grad(lrn(xg), xg, g))))
    print(f"{torch.cuda.get_device_name()}; torch {torch.__version__}; shape {list(shape)}")
    for name, ms in rows:
        print(f"{name:42} {ms:9.4f} ms {8 * n / (ms * 1e6):8.0f} GB/s {ms / rows[0][1]:7.2f} x copy")
