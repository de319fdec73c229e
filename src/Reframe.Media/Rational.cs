using System.Globalization;

namespace Reframe.Media;

/// <summary>
/// An exact frame rate such as 30000/1001. Kept as a fraction end to end so "match the input's fps" and
/// "divide by k+1" stay exact in the ffmpeg arguments (29.97 written as a double would drift over 241 frames).
/// </summary>
public readonly record struct Rational
{
    public Rational(long numerator, long denominator)
    {
        if (denominator == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "a rate needs a non-zero denominator");
        }
        if (denominator < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var g = Gcd(Math.Abs(numerator), denominator);
        Numerator = numerator / g;
        Denominator = denominator / g;
    }

    public long Numerator { get; }
    public long Denominator { get; }

    public double Value => (double)Numerator / Denominator;

    public static Rational FromInt(int value) => new(value, 1);

    public Rational MultiplyBy(long factor) => new(Numerator * factor, Denominator);

    public Rational DivideBy(long divisor) => new(Numerator, Denominator * divisor);

    /// <summary>Parses ffprobe's "30000/1001" (or a plain number); null for "0/0" and garbage.</summary>
    public static Rational? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !(d > 0) || double.IsInfinity(d))
            {
                return null;
            }
            return new Rational((long)Math.Round(d * 1000), 1000);
        }
        if (!long.TryParse(text.AsSpan(0, slash), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            || !long.TryParse(text.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var den)
            || n <= 0 || den <= 0)
        {
            return null;
        }
        return new Rational(n, den);
    }

    /// <summary>The ffmpeg spelling: "30000/1001" or "16".</summary>
    public override string ToString() => Denominator == 1
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a == 0 ? 1 : a;
    }
}
