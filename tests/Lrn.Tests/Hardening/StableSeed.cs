using System.Globalization;

namespace Lrn.Tests;

/// <summary>
/// Seeds that are the same in every run (HashCode.Combine is randomized per process, so a seed built with it could not
/// be replayed): FNV-1a over the invariant text of the parts.
/// </summary>
internal static class StableSeed
{
    public static int Of(params object[] parts)
    {
        uint hash = 2166136261;
        foreach (char ch in string.Join('|', Array.ConvertAll(parts, part => Convert.ToString(part, CultureInfo.InvariantCulture))))
        {
            hash = (hash ^ ch) * 16777619;
        }

        return (int)(hash & 0x7fffffff);
    }
}
