namespace Lrn.Gpu;

/// <summary>The element type of a kernel instantiation: conversions, and whether the float32 arithmetic path applies.</summary>
internal interface IElementOps<T>
    where T : unmanaged
{
    bool IsFloat32 { get; }

    float ToSingle(T value);

    double ToDouble(T value);

    T FromSingle(float value);

    T FromDouble(double value);
}

internal readonly struct SingleOps : IElementOps<float>
{
    public bool IsFloat32 => true;

    public float ToSingle(float value) => value;

    public double ToDouble(float value) => value;

    public float FromSingle(float value) => value;

    public float FromDouble(double value) => (float)value;
}

internal readonly struct DoubleOps : IElementOps<double>
{
    public bool IsFloat32 => false;

    public float ToSingle(double value) => (float)value;

    public double ToDouble(double value) => value;

    public double FromSingle(float value) => value;

    public double FromDouble(double value) => value;
}
