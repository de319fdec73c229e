namespace Reframe.Engines.Classic;

/// <summary>Separable running-sum box blur over interleaved RGB float grids, edges clamped.</summary>
internal static class BoxBlur
{
    public static void Horizontal(float[] source, float[] target, int width, int height, int radius)
    {
        var norm = 1f / (2 * radius + 1);
        for (var y = 0; y < height; y++)
        {
            var row = y * width * 3;
            for (var c = 0; c < 3; c++)
            {
                var sum = 0f;
                for (var k = -radius; k <= radius; k++)
                {
                    sum += source[row + Math.Clamp(k, 0, width - 1) * 3 + c];
                }
                for (var x = 0; x < width; x++)
                {
                    target[row + x * 3 + c] = sum * norm;
                    var leaving = Math.Clamp(x - radius, 0, width - 1);
                    var entering = Math.Clamp(x + radius + 1, 0, width - 1);
                    sum += source[row + entering * 3 + c] - source[row + leaving * 3 + c];
                }
            }
        }
    }

    public static void Vertical(float[] source, float[] target, int width, int height, int radius)
    {
        var norm = 1f / (2 * radius + 1);
        var stride = width * 3;
        for (var x = 0; x < stride; x++)
        {
            var sum = 0f;
            for (var k = -radius; k <= radius; k++)
            {
                sum += source[Math.Clamp(k, 0, height - 1) * stride + x];
            }
            for (var y = 0; y < height; y++)
            {
                target[y * stride + x] = sum * norm;
                var leaving = Math.Clamp(y - radius, 0, height - 1);
                var entering = Math.Clamp(y + radius + 1, 0, height - 1);
                sum += source[entering * stride + x] - source[leaving * stride + x];
            }
        }
    }
}
