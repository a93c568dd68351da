namespace Lrn.Cli.Figures;

/// <summary>y against x for one channel, its neighbours in the window holding a fixed energy.</summary>
/// <param name="NeighbourEnergy">The neighbours' sum of squares, sum_{j != c} x_j^2, held fixed along the curve.</param>
/// <param name="X">The channel's input, from 0 up.</param>
/// <param name="Y">The library's output for that channel.</param>
internal sealed record Curve(double NeighbourEnergy, double[] X, double[] Y);

/// <summary>The curves of one parameter set.</summary>
internal sealed record CurvePanel(LrnParameters Parameters, IReadOnlyList<Curve> Curves);

/// <summary>
/// What the inhibition figure shows: for the chosen parameters and for the AlexNet paper's, the same neighbour energies
/// and the same x range, so the two panels compare directly.
/// </summary>
/// <param name="Unit">The energy scale the figure is built on: k/a for the chosen parameters (see <see cref="CurveData.UnitEnergy"/>).</param>
/// <param name="Energies">The neighbour energies, one curve each: 0, small, large.</param>
internal sealed record CurveFigureData(double Unit, double[] Energies, double XMax, CurvePanel Chosen, CurvePanel Paper);

/// <summary>Builds <see cref="CurveFigureData"/>; every y is computed by <see cref="LocalResponseNorm.Forward(ReadOnlySpan{double}, Span{double}, LrnShape, LrnParameters, LrnOptions?)"/>.</summary>
internal static class CurveData
{
    /// <summary>Points along each curve.</summary>
    public const int Points = 241;

    /// <summary>The small and large neighbour energies, in units of <see cref="UnitEnergy"/>: a * E = k and a * E = 10 k.</summary>
    public static readonly double[] EnergyMultiples = [0, 1, 10];

    /// <summary>The x range reaches sqrt(XRangeMultiple * unit): far enough past the peak of y = x (k + a x^2)^-beta.</summary>
    public const double XRangeMultiple = 20;

    public static CurveFigureData Build(LrnParameters parameters, LrnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double unit = UnitEnergy(parameters);
        double[] energies = Array.ConvertAll(EnergyMultiples, m => m * unit);
        double xMax = Math.Sqrt(XRangeMultiple * unit);
        return new CurveFigureData(
            unit,
            energies,
            xMax,
            Panel(parameters, energies, xMax, options),
            Panel(LrnParameters.Paper(), energies, xMax, options));
    }

    /// <summary>
    /// The energy at which the sum starts to matter: a * E = k, so E = k / a. With k = 0 the sum matters from the
    /// start and the scale is 1 / a; with a = 0 nothing depends on the neighbours and any scale will do (1).
    /// </summary>
    public static double UnitEnergy(LrnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.A <= 0)
        {
            return 1;
        }

        double unit = (parameters.K > 0 ? parameters.K : 1) / parameters.A;
        return double.IsFinite(unit) ? unit : 1;
    }

    /// <summary>
    /// One curve per energy: a tensor of shape (points, C) channels-first with C = the window length, channel c = lo
    /// sweeping x and every other channel (all inside c's window) holding an equal share of the energy.
    /// </summary>
    public static CurvePanel Panel(LrnParameters parameters, double[] energies, double xMax, LrnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(energies);
        int channels = parameters.WindowLength;
        int c = parameters.Lo;
        var shape = LrnShape.ChannelsFirst(Points, channels);
        var curves = new List<Curve>(energies.Length);
        foreach (double energy in energies)
        {
            double neighbour = channels > 1 ? Math.Sqrt(energy / (channels - 1)) : 0;
            double[] x = new double[shape.ElementCount];
            Array.Fill(x, neighbour);
            double[] sweep = new double[Points];
            for (int i = 0; i < Points; i++)
            {
                sweep[i] = xMax * i / (Points - 1);
                x[(i * channels) + c] = sweep[i];
            }

            double[] y = new double[x.Length];
            LocalResponseNorm.Forward(x, y, shape, parameters, options);
            double[] yc = new double[Points];
            for (int i = 0; i < Points; i++)
            {
                yc[i] = y[(i * channels) + c];
            }

            curves.Add(new Curve(channels > 1 ? energy : 0, sweep, yc));
        }

        return new CurvePanel(parameters, curves);
    }
}
