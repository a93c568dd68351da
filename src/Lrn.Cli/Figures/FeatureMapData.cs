namespace Lrn.Cli.Figures;

/// <summary>
/// A small multi-channel activation map before and after LRN. Maps are channels-first (1, C, H, W), flattened.
/// </summary>
/// <param name="Image">The test image, H x W, grey levels 0..255.</param>
/// <param name="AnglesDegrees">The orientation of each channel's edge filter.</param>
/// <param name="Peak">The largest activation in <paramref name="X"/> (see <see cref="FeatureMapData.PeakFor"/>).</param>
/// <param name="X">The rectified filter responses, LRN's input.</param>
/// <param name="Y">LRN(X), from the library.</param>
/// <param name="Ratio">Y / X where X &gt; 0, NaN where X = 0 (the ratio is then 0/0).</param>
internal sealed record FeatureMaps(
    LrnParameters Parameters, int Height, int Width, double[] Image, double[] AnglesDegrees, double Peak, double[] X, double[] Y, double[] Ratio)
{
    public int Channels => AnglesDegrees.Length;

    public LrnShape Shape => LrnShape.ChannelsFirst(1, Channels, Height, Width);

    /// <summary>The plane of one channel.</summary>
    public ReadOnlySpan<double> Plane(double[] map, int c) => map.AsSpan(c * Height * Width, Height * Width);
}

/// <summary>
/// Builds <see cref="FeatureMaps"/>: a test image generated here, a bank of oriented edge filters (Gabor quadrature
/// pairs) whose rectified responses form the channels, then <see cref="LocalResponseNorm.Forward(ReadOnlySpan{double}, Span{double}, LrnShape, LrnParameters, LrnOptions?)"/>.
/// Neighbouring channels are neighbouring orientations, so a region with one strong orientation shows its
/// neighbours being suppressed.
/// </summary>
internal static class FeatureMapData
{
    /// <summary>The test image's side in pixels.</summary>
    public const int Size = 64;

    /// <summary>The number of orientations (channels), 180 / Orientations degrees apart.</summary>
    public const int Orientations = 8;

    /// <summary>The gratings' period in pixels; the filters are tuned to it.</summary>
    public const double Wavelength = 8;

    /// <summary>The filters' half-width in pixels (kernels are 2R+1 square).</summary>
    public const int KernelRadius = 6;

    /// <summary>The activations are scaled so that a * Peak^2 = PeakMultiple * k: strong enough for LRN to bite, whatever the parameters.</summary>
    public const double PeakMultiple = 3;

    /// <summary>Responses below this fraction of the largest are roundoff, not signal (see <see cref="Build"/>).</summary>
    public const double RoundoffFloor = 1e-9;

    public static FeatureMaps Build(LrnParameters parameters, LrnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double[] image = TestImage(Size);
        double[] angles = new double[Orientations];
        for (int i = 0; i < Orientations; i++)
        {
            angles[i] = 180.0 * i / Orientations;
        }

        double peak = PeakFor(parameters);
        double[] x = Responses(image, Size, Size, angles);
        double max = 0;
        foreach (double v in x)
        {
            max = Math.Max(max, v);
        }

        // On a flat patch a zero-mean filter gives 0 up to roundoff (around 1e-14 of the peak). Such a value is not a
        // response, and with k = 0 it would make y / x = 1 / s explode, so it is set to exactly 0.
        double gain = max > 0 ? peak / max : 0;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = x[i] > max * RoundoffFloor ? x[i] * gain : 0;
        }

        var maps = new FeatureMaps(parameters, Size, Size, image, angles, peak, x, new double[x.Length], new double[x.Length]);
        LocalResponseNorm.Forward(maps.X, maps.Y, maps.Shape, parameters, options);
        for (int i = 0; i < x.Length; i++)
        {
            maps.Ratio[i] = x[i] > 0 ? maps.Y[i] / x[i] : double.NaN;
        }

        return maps;
    }

    /// <summary>The largest activation: sqrt(PeakMultiple * k / a), on the scale of <see cref="CurveData.UnitEnergy"/>.</summary>
    public static double PeakFor(LrnParameters parameters) => Math.Sqrt(PeakMultiple * CurveData.UnitEnergy(parameters));

    /// <summary>
    /// A size x size grey image, 0..255: four quadrants of sinusoidal gratings at 0, 45, 90 and 135 degrees, and a
    /// bright disk in the middle whose rim has every orientation.
    /// </summary>
    public static double[] TestImage(int size)
    {
        double[] image = new double[size * size];
        double centre = (size - 1) / 2.0;
        double radius = size / 5.0;
        for (int r = 0; r < size; r++)
        {
            for (int col = 0; col < size; col++)
            {
                // Quadrant q: 0 top left, 1 top right, 2 bottom left, 3 bottom right; its grating varies across the
                // direction theta, so its stripes run at theta + 90 degrees and excite the filter tuned to theta.
                int q = (r < size / 2 ? 0 : 2) + (col < size / 2 ? 0 : 1);
                double theta = q * Math.PI / 4;
                double u = (col * Math.Cos(theta)) + (r * Math.Sin(theta));
                double v = 127.5 + (127.5 * Math.Cos(2 * Math.PI * u / Wavelength));
                double dr = r - centre, dc = col - centre;
                if ((dr * dr) + (dc * dc) <= radius * radius)
                {
                    v = 255;
                }

                image[(r * size) + col] = v;
            }
        }

        return image;
    }

    /// <summary>
    /// A Gabor kernel across the direction theta: odd (sine phase, an edge detector) or even (cosine phase, a bar
    /// detector), zero mean, unit L2 norm. Laid out (2R+1) x (2R+1), row-major.
    /// </summary>
    public static double[] GaborKernel(double thetaDegrees, bool odd)
    {
        int side = (2 * KernelRadius) + 1;
        double theta = thetaDegrees * Math.PI / 180;
        double sigma = Wavelength / 2;
        double[] kernel = new double[side * side];
        double mean = 0;
        for (int dy = -KernelRadius; dy <= KernelRadius; dy++)
        {
            for (int dx = -KernelRadius; dx <= KernelRadius; dx++)
            {
                double u = (dx * Math.Cos(theta)) + (dy * Math.Sin(theta));
                double w = (-dx * Math.Sin(theta)) + (dy * Math.Cos(theta));
                double envelope = Math.Exp(-((u * u) + (w * w)) / (2 * sigma * sigma));
                double phase = 2 * Math.PI * u / Wavelength;
                double value = envelope * (odd ? Math.Sin(phase) : Math.Cos(phase));
                kernel[((dy + KernelRadius) * side) + dx + KernelRadius] = value;
                mean += value;
            }
        }

        mean /= kernel.Length;
        double norm = 0;
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] -= mean;
            norm += kernel[i] * kernel[i];
        }

        norm = Math.Sqrt(norm);
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= norm;
        }

        return kernel;
    }

    /// <summary>
    /// The rectified edge responses for each angle, channels-first (C, H, W): the magnitude sqrt(even^2 + odd^2) of a
    /// quadrature pair of Gabor filters, an oriented edge and line detector that is never negative and does not
    /// ripple along a grating. The image is extended at its borders by repeating the edge pixels, so the border itself
    /// is not an edge.
    /// </summary>
    public static double[] Responses(double[] image, int height, int width, double[] anglesDegrees)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(anglesDegrees);
        double[] x = new double[anglesDegrees.Length * height * width];
        for (int c = 0; c < anglesDegrees.Length; c++)
        {
            double[] even = Filter(image, height, width, GaborKernel(anglesDegrees[c], odd: false));
            double[] odd = Filter(image, height, width, GaborKernel(anglesDegrees[c], odd: true));
            int plane = c * height * width;
            for (int i = 0; i < even.Length; i++)
            {
                x[plane + i] = Math.Sqrt((even[i] * even[i]) + (odd[i] * odd[i]));
            }
        }

        return x;
    }

    private static double[] Filter(double[] image, int height, int width, double[] kernel)
    {
        int side = (2 * KernelRadius) + 1;
        double[] result = new double[height * width];
        for (int r = 0; r < height; r++)
        {
            for (int col = 0; col < width; col++)
            {
                double sum = 0;
                for (int dy = -KernelRadius; dy <= KernelRadius; dy++)
                {
                    int rr = Math.Clamp(r + dy, 0, height - 1);
                    for (int dx = -KernelRadius; dx <= KernelRadius; dx++)
                    {
                        int cc = Math.Clamp(col + dx, 0, width - 1);
                        sum += kernel[((dy + KernelRadius) * side) + dx + KernelRadius] * image[(rr * width) + cc];
                    }
                }

                result[(r * width) + col] = sum;
            }
        }

        return result;
    }
}
