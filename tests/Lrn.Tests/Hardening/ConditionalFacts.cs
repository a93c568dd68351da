namespace Lrn.Tests;

/// <summary>A fact that needs guard pages (Linux mmap and mprotect); elsewhere it is reported as skipped, not passed.</summary>
internal sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!Libc.Supported)
        {
            Skip = "needs Linux (mmap and mprotect guard pages)";
        }
    }
}

/// <summary>A theory that needs guard pages (Linux mmap and mprotect); elsewhere it is reported as skipped, not passed.</summary>
internal sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!Libc.Supported)
        {
            Skip = "needs Linux (mmap and mprotect guard pages)";
        }
    }
}

/// <summary>
/// A fact too large for CI: it runs only when the environment variable <see cref="Variable"/> is 1 and is reported as
/// skipped otherwise (docs/guarantees.md says how and why to run it).
/// </summary>
internal sealed class HugeFactAttribute : FactAttribute
{
    public const string Variable = "LRN_HUGE_TESTS";

    public HugeFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"opt-in: allocates more than 2^31 elements (about 9 GB); set {Variable}=1 to run it";
        }
    }
}
