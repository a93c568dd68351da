namespace Lrn.Gpu;

/// <summary>
/// The last <see cref="Length"/> values a GPU thread has seen along its walk (channels, or rows), held in registers:
/// <see cref="Push"/> shifts every slot down one and puts the newest in slot 15. A window of w values is the last w
/// slots, summed oldest first (the reference's order). Sixteen named fields rather than an array because an array
/// indexed at run time lives in local memory, which costs a memory round trip per access.
/// </summary>
internal struct Slots
{
    public const int Length = 16;

    private float _v0, _v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12, _v13, _v14, _v15;

    public void Push(float value)
    {
        _v0 = _v1;
        _v1 = _v2;
        _v2 = _v3;
        _v3 = _v4;
        _v4 = _v5;
        _v5 = _v6;
        _v6 = _v7;
        _v7 = _v8;
        _v8 = _v9;
        _v9 = _v10;
        _v10 = _v11;
        _v11 = _v12;
        _v12 = _v13;
        _v13 = _v14;
        _v14 = _v15;
        _v15 = value;
    }

    /// <summary>The sum of the squares of the last w slots, oldest first, in float32.</summary>
    public readonly float SumOfSquares(int w)
    {
        int first = Length - w;
        float sum = 0;
        sum += first <= 0 ? _v0 * _v0 : 0;
        sum += first <= 1 ? _v1 * _v1 : 0;
        sum += first <= 2 ? _v2 * _v2 : 0;
        sum += first <= 3 ? _v3 * _v3 : 0;
        sum += first <= 4 ? _v4 * _v4 : 0;
        sum += first <= 5 ? _v5 * _v5 : 0;
        sum += first <= 6 ? _v6 * _v6 : 0;
        sum += first <= 7 ? _v7 * _v7 : 0;
        sum += first <= 8 ? _v8 * _v8 : 0;
        sum += first <= 9 ? _v9 * _v9 : 0;
        sum += first <= 10 ? _v10 * _v10 : 0;
        sum += first <= 11 ? _v11 * _v11 : 0;
        sum += first <= 12 ? _v12 * _v12 : 0;
        sum += first <= 13 ? _v13 * _v13 : 0;
        sum += first <= 14 ? _v14 * _v14 : 0;
        sum += _v15 * _v15;
        return sum;
    }

    /// <summary>The sum of the last w slots (already squared sums), oldest first, in float32.</summary>
    public readonly float Sum(int w)
    {
        int first = Length - w;
        float sum = 0;
        sum += first <= 0 ? _v0 : 0;
        sum += first <= 1 ? _v1 : 0;
        sum += first <= 2 ? _v2 : 0;
        sum += first <= 3 ? _v3 : 0;
        sum += first <= 4 ? _v4 : 0;
        sum += first <= 5 ? _v5 : 0;
        sum += first <= 6 ? _v6 : 0;
        sum += first <= 7 ? _v7 : 0;
        sum += first <= 8 ? _v8 : 0;
        sum += first <= 9 ? _v9 : 0;
        sum += first <= 10 ? _v10 : 0;
        sum += first <= 11 ? _v11 : 0;
        sum += first <= 12 ? _v12 : 0;
        sum += first <= 13 ? _v13 : 0;
        sum += first <= 14 ? _v14 : 0;
        sum += _v15;
        return sum;
    }

    /// <summary>The value pushed <paramref name="age"/> pushes ago (0: the newest), by selects rather than an index.</summary>
    public readonly float Back(int age) =>
        age == 0 ? _v15 : age == 1 ? _v14 : age == 2 ? _v13 : age == 3 ? _v12 : age == 4 ? _v11 : age == 5 ? _v10 : age == 6 ? _v9 : age == 7 ? _v8
        : age == 8 ? _v7 : age == 9 ? _v6 : age == 10 ? _v5 : age == 11 ? _v4 : age == 12 ? _v3 : age == 13 ? _v2 : age == 14 ? _v1 : _v0;
}

/// <summary>
/// A queue of <see cref="Depth"/> values a thread loaded ahead of use: each step takes the oldest and loads the one
/// <see cref="Depth"/> steps later, so every thread keeps several loads in flight instead of waiting on each.
/// (Measured on an H100, 2026-11-27: without it the register-window forward ran at 1.83x a device copy, its loads'
/// latency exposed; 4 ahead gave 1.65x, 8 ahead 1.72x (more registers, fewer threads); bench/results/2026-11-27-gpu-h100.md.)
/// </summary>
internal struct Prefetch
{
    public const int Depth = 4;

    private float _q0, _q1, _q2, _q3;

    /// <summary>Appends <paramref name="incoming"/> and returns the value appended <see cref="Depth"/> calls ago.</summary>
    public float Next(float incoming)
    {
        float head = _q0;
        _q0 = _q1;
        _q1 = _q2;
        _q2 = _q3;
        _q3 = incoming;
        return head;
    }
}
