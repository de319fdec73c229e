namespace Reframe.Wan.Schedulers;

/// <summary>The flow-matching time shift <c>S_s(sigma) = s sigma / (1 + (s - 1) sigma)</c>, in float64 as the reference.</summary>
public static class SigmaShift
{
    public static double Apply(double shift, double sigma) => shift * sigma / (1 + (shift - 1) * sigma);

    /// <summary><c>numpy.linspace(start, stop, count)</c>: same formula, so the float64 values match bit for bit.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        if (count == 1)
        {
            values[0] = start;
            return values;
        }

        // numpy: step = (stop - start) / div; y = arange(0, num) * step + start; y[-1] = stop.
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++)
        {
            values[i] = i * step + start;
        }

        values[count - 1] = stop;
        return values;
    }

    /// <summary>
    /// The integer samplers' schedule (UniPC from 0.999, DPM++ from 1.0): <c>sigma_k = S_s(linspace(start, 0, N + 1)[k])</c>
    /// in float64, timesteps <c>int64(1000 sigma_k)</c>, i.e. TRUNCATED (some products sit within 1e-5 of an integer,
    /// so this must stay in float64), and a final sigma 0 appended.
    /// </summary>
    public static (double[] Timesteps, float[] Sigmas) TruncatedSchedule(double start, int steps, double shift)
    {
        var grid = Linspace(start, 0, steps + 1);
        var timesteps = new double[steps];
        var sigmas = new float[steps + 1];
        for (int k = 0; k < steps; k++)
        {
            double sigma = Apply(shift, grid[k]);
            timesteps[k] = Math.Truncate(sigma * 1000);
            sigmas[k] = (float)sigma;
        }

        sigmas[steps] = 0f;
        return (timesteps, sigmas);
    }

    /// <summary><c>exp(x) - 1</c> without cancellation near 0; -1 at -infinity (the last UniPC step relies on it).</summary>
    public static double Expm1(double x)
    {
        if (double.IsNegativeInfinity(x))
        {
            return -1;
        }

        if (Math.Abs(x) < 1e-5)
        {
            return x + x * x / 2 + x * x * x / 6;
        }

        return Math.Exp(x) - 1;
    }

    /// <summary>
    /// Half log-SNR of a flow sample, <c>ln(1 - sigma) - ln(sigma)</c>. IEEE infinities are intended: sigma 1
    /// gives -inf (DPM++'s first step), sigma 0 gives +inf (every sampler's last step).
    /// </summary>
    public static double Lambda(double sigma) => Math.Log(1 - sigma) - Math.Log(sigma);
}
