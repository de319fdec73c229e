using System.Numerics;
using Reframe.Core.Engines;

namespace Reframe.Engines.Classic;

/// <summary>
/// The per-frame fill of <see cref="ClassicEngine"/>, with its state (the temporally smoothed background).
/// Work is done on a coarse grid (canvas / <see cref="ClassicEngineSettings.GridDownscale"/>): box-reduce the
/// content, sample it as "scaled to cover the canvas", blur with separable box passes, smooth over time, then
/// upsample bilinearly only where the canvas is generated. Cost is dominated by one pass over the content and
/// one over the generated pixels.
/// </summary>
internal sealed class BlurFill
{
    private readonly int _width;
    private readonly int _height;
    private readonly PixelRect _content;
    private readonly PixelRect _keep;
    private readonly ClassicEngineSettings _settings;
    private readonly int _gridWidth;
    private readonly int _gridHeight;
    private readonly int _reduce;
    private readonly int _reducedWidth;
    private readonly int _reducedHeight;
    private readonly float[] _reduced;
    private readonly float[] _grid;
    private readonly float[] _scratch;
    private readonly float[] _state;
    private readonly (int I0, int I1, float W)[] _sampleX;
    private readonly (int I0, int I1, float W)[] _sampleY;
    private readonly (int I0, int I1, float W)[] _upX;
    private readonly (int I0, int I1, float W)[] _upY;
    private readonly float[] _rows;
    private readonly float[] _line;
    private readonly byte[] _seamSource;
    private readonly float _feather;
    private bool _hasState;

    public BlurFill(int width, int height, PixelRect content, PixelRect keep, ClassicEngineSettings settings)
    {
        _width = width;
        _height = height;
        _content = content;
        _keep = keep;
        _settings = settings;
        var down = Math.Max(1, settings.GridDownscale);
        _gridWidth = Math.Max(1, (width + down - 1) / down);
        _gridHeight = Math.Max(1, (height + down - 1) / down);

        // "Cover": the content scaled so it fills the canvas, centred. One grid cell spans cellContent content pixels.
        var cover = Math.Max((double)width / Math.Max(1, content.Width), (double)height / Math.Max(1, content.Height));
        var cellContent = (double)width / _gridWidth / cover;
        _reduce = Math.Max(1, (int)Math.Floor(cellContent));
        _reducedWidth = Math.Max(1, content.Width / _reduce);
        _reducedHeight = Math.Max(1, content.Height / _reduce);
        _reduced = new float[_reducedWidth * _reducedHeight * 3];
        _grid = new float[_gridWidth * _gridHeight * 3];
        _scratch = new float[_grid.Length];
        _state = new float[_grid.Length];

        _sampleX = CoverSamples(_gridWidth, width, content.Width, cover, _reduce, _reducedWidth);
        _sampleY = CoverSamples(_gridHeight, height, content.Height, cover, _reduce, _reducedHeight);
        _upX = UpSamples(width, _gridWidth);
        _upY = UpSamples(height, _gridHeight);
        _rows = new float[_gridHeight * width * 3];
        _line = new float[width * 3];
        _seamSource = new byte[width * height * 3];
        var seam = Math.Max(Math.Max(keep.X - content.X, keep.Y - content.Y), Math.Max(content.Right - keep.Right, content.Bottom - keep.Bottom));
        _feather = 1f / (Math.Max(0, seam) + 1);
    }

    /// <summary>Fills the generated area of <paramref name="frame"/> (canvas RGB24, content already placed) in place.</summary>
    public void Fill(byte[] frame, (byte[] Image, float Weight)? anchor)
    {
        if (_keep == new PixelRect(0, 0, _width, _height) || _content.IsEmpty)
        {
            return; // nothing to generate
        }
        ReduceContent(frame);
        SampleCover();
        for (var pass = 0; pass < _settings.BlurPasses; pass++)
        {
            BoxBlur.Horizontal(_grid, _scratch, _gridWidth, _gridHeight, _settings.BlurRadius);
            BoxBlur.Vertical(_scratch, _grid, _gridWidth, _gridHeight, _settings.BlurRadius);
        }
        SmoothOverTime();
        SaveSeamBand(frame);
        Compose(frame, anchor);
    }

    private void ReduceContent(byte[] frame)
    {
        var f = _reduce;
        var inv = 1f / (f * f);
        var stride = _width * 3;
        for (var ry = 0; ry < _reducedHeight; ry++)
        {
            var outRow = _reduced.AsSpan(ry * _reducedWidth * 3, _reducedWidth * 3);
            outRow.Clear();
            for (var dy = 0; dy < f; dy++)
            {
                var row = frame.AsSpan((_content.Y + ry * f + dy) * stride + _content.X * 3, _reducedWidth * f * 3);
                for (var rx = 0; rx < _reducedWidth; rx++)
                {
                    float r = 0, g = 0, b = 0;
                    var p = rx * f * 3;
                    for (var dx = 0; dx < f; dx++, p += 3)
                    {
                        r += row[p];
                        g += row[p + 1];
                        b += row[p + 2];
                    }
                    outRow[rx * 3] += r;
                    outRow[rx * 3 + 1] += g;
                    outRow[rx * 3 + 2] += b;
                }
            }
            for (var i = 0; i < outRow.Length; i++)
            {
                outRow[i] *= inv;
            }
        }
    }

    private void SampleCover()
    {
        var rw = _reducedWidth;
        for (var gy = 0; gy < _gridHeight; gy++)
        {
            var (y0, y1, wy) = _sampleY[gy];
            for (var gx = 0; gx < _gridWidth; gx++)
            {
                var (x0, x1, wx) = _sampleX[gx];
                var o = (gy * _gridWidth + gx) * 3;
                for (var c = 0; c < 3; c++)
                {
                    var top = _reduced[(y0 * rw + x0) * 3 + c] * (1 - wx) + _reduced[(y0 * rw + x1) * 3 + c] * wx;
                    var bottom = _reduced[(y1 * rw + x0) * 3 + c] * (1 - wx) + _reduced[(y1 * rw + x1) * 3 + c] * wx;
                    _grid[o + c] = top * (1 - wy) + bottom * wy;
                }
            }
        }
    }

    private void SmoothOverTime()
    {
        if (_hasState)
        {
            var diff = 0f;
            for (var i = 0; i < _grid.Length; i++)
            {
                diff += Math.Abs(_grid[i] - _state[i]);
            }
            if (diff / _grid.Length <= _settings.SceneCutThreshold)
            {
                var keep = _settings.TemporalSmoothing;
                for (var i = 0; i < _grid.Length; i++)
                {
                    _state[i] = _state[i] * keep + _grid[i] * (1 - keep);
                }
                return;
            }
        }
        _grid.CopyTo(_state, 0);
        _hasState = true;
    }

    private void Compose(byte[] frame, (byte[] Image, float Weight)? anchor)
    {
        UpsampleRows();
        var anchorImage = anchor?.Image;
        var anchorWeight = anchor?.Weight ?? 0f;
        // One thread on purpose: the fill is a few ms a frame while the decoder and x264 (running concurrently in
        // their own processes) want every core; parallel loops here only added spinning on a busy machine.
        var line = _line;
        for (var y = 0; y < _height; y++)
        {
            var row = frame.AsSpan(y * _width * 3, _width * 3);
            var (gy0, gy1, wy) = _upY[y];
            var top = _rows.AsSpan(gy0 * _width * 3, _width * 3);
            var bottom = _rows.AsSpan(gy1 * _width * 3, _width * 3);
            if (y >= _keep.Y && y < _keep.Bottom)
            {
                ComposeSpan(row, line, top, bottom, wy, 0, _keep.X);
                ComposeSpan(row, line, top, bottom, wy, _keep.Right, _width);
            }
            else
            {
                ComposeSpan(row, line, top, bottom, wy, 0, _width);
            }
            if (anchorImage is not null)
            {
                BlendAnchor(row, anchorImage.AsSpan(y * _width * 3, _width * 3), anchorWeight, y);
            }
            FeatherSeam(row, y);
        }
    }

    /// <summary>The smoothed grid, dimmed, upsampled horizontally to canvas width once per grid row.</summary>
    private void UpsampleRows()
    {
        var brightness = _settings.FillBrightness;
        var gw3 = _gridWidth * 3;
        for (var gy = 0; gy < _gridHeight; gy++)
        {
            var cells = _state.AsSpan(gy * gw3, gw3);
            var output = _rows.AsSpan(gy * _width * 3, _width * 3);
            for (var x = 0; x < _width; x++)
            {
                var (g0, g1, wx) = _upX[x];
                for (var c = 0; c < 3; c++)
                {
                    var a = cells[g0 * 3 + c];
                    output[x * 3 + c] = (a + (cells[g1 * 3 + c] - a) * wx) * brightness;
                }
            }
        }
    }

    /// <summary>Vertical blend of two upsampled rows over [from, to), written as bytes (SIMD over the interleaved floats).</summary>
    private static void ComposeSpan(Span<byte> row, float[] line, ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float wy, int from, int to)
    {
        if (to <= from)
        {
            return;
        }
        var start = from * 3;
        var length = (to - from) * 3;
        var a = top.Slice(start, length);
        var b = bottom.Slice(start, length);
        var result = line.AsSpan(start, length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weight = new Vector<float>(wy);
            var half = new Vector<float>(0.5f);
            var max = new Vector<float>(255f);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var va = new Vector<float>(a[i..]);
                var v = va + (new Vector<float>(b[i..]) - va) * weight + half;
                Vector.Min(Vector.Max(v, Vector<float>.Zero), max).CopyTo(result[i..]);
            }
        }
        for (; i < length; i++)
        {
            result[i] = Math.Clamp(a[i] + (b[i] - a[i]) * wy + 0.5f, 0f, 255f);
        }
        var target = row.Slice(start, length);
        for (var k = 0; k < length; k++)
        {
            target[k] = (byte)result[k]; // already rounded and clamped
        }
    }

    /// <summary>First/last frame anchors: the image shows through the generated area with the given weight.</summary>
    private void BlendAnchor(Span<byte> row, ReadOnlySpan<byte> anchorRow, float weight, int y)
    {
        var insideKeepRows = y >= _keep.Y && y < _keep.Bottom;
        for (var x = 0; x < _width; x++)
        {
            if (insideKeepRows && x >= _keep.X && x < _keep.Right)
            {
                x = _keep.Right - 1;
                continue;
            }
            for (var c = 0; c < 3; c++)
            {
                var p = x * 3 + c;
                row[p] = (byte)Math.Clamp((int)(row[p] + (anchorRow[p] - row[p]) * weight + 0.5f), 0, 255);
            }
        }
    }

    /// <summary>The seam band (content outside the keep rectangle) fades from the source at the keep edge to the fill at the content edge.</summary>
    private void FeatherSeam(Span<byte> row, int y)
    {
        if (y < _content.Y || y >= _content.Bottom || _keep.IsEmpty)
        {
            return;
        }
        var dy = y < _keep.Y ? _keep.Y - y : y >= _keep.Bottom ? y - _keep.Bottom + 1 : 0;
        for (var x = _content.X; x < _content.Right; x++)
        {
            var dx = x < _keep.X ? _keep.X - x : x >= _keep.Right ? x - _keep.Right + 1 : 0;
            var distance = Math.Max(dx, dy);
            if (distance == 0)
            {
                x = Math.Max(x, _keep.Right - 1);
                continue;
            }
            var sourceAlpha = Math.Max(0f, 1f - distance * _feather);
            if (sourceAlpha <= 0)
            {
                continue;
            }
            for (var c = 0; c < 3; c++)
            {
                var p = x * 3 + c;
                // row[p] is the fill now; the source pixel was kept aside by SaveSeamBand.
                row[p] = (byte)Math.Clamp((int)(_seamSource[(y * _width + x) * 3 + c] * sourceAlpha + row[p] * (1 - sourceAlpha) + 0.5f), 0, 255);
            }
        }
    }

    /// <summary>Keeps the source pixels of the seam band (content outside the keep rectangle) before the fill covers them.</summary>
    private void SaveSeamBand(byte[] frame)
    {
        if (_keep.IsEmpty)
        {
            return;
        }
        for (var y = _content.Y; y < _content.Bottom; y++)
        {
            var rowStart = y * _width * 3;
            if (y < _keep.Y || y >= _keep.Bottom)
            {
                Copy(frame, rowStart, _content.X, _content.Right);
            }
            else
            {
                Copy(frame, rowStart, _content.X, _keep.X);
                Copy(frame, rowStart, _keep.Right, _content.Right);
            }
        }
    }

    private void Copy(byte[] frame, int rowStart, int from, int to)
    {
        if (to > from)
        {
            frame.AsSpan(rowStart + from * 3, (to - from) * 3).CopyTo(_seamSource.AsSpan(rowStart + from * 3));
        }
    }

    /// <summary>For each grid cell, the two reduced-content samples (and weight) under its centre in the cover mapping.</summary>
    private static (int, int, float)[] CoverSamples(int cells, int canvasSide, int contentSide, double cover, int reduce, int reducedSide)
    {
        var table = new (int, int, float)[cells];
        for (var i = 0; i < cells; i++)
        {
            var canvasCentre = (i + 0.5) * canvasSide / cells;
            var contentCoord = (canvasCentre - canvasSide / 2.0) / cover + contentSide / 2.0;
            table[i] = Bilinear(contentCoord / reduce - 0.5, reducedSide);
        }
        return table;
    }

    /// <summary>For each canvas pixel, the two grid cells (and weight) it interpolates between.</summary>
    private static (int, int, float)[] UpSamples(int canvasSide, int cells)
    {
        var table = new (int, int, float)[canvasSide];
        var scale = (double)cells / canvasSide;
        for (var i = 0; i < canvasSide; i++)
        {
            table[i] = Bilinear((i + 0.5) * scale - 0.5, cells);
        }
        return table;
    }

    private static (int, int, float) Bilinear(double coord, int size)
    {
        var clamped = Math.Clamp(coord, 0, size - 1);
        var i0 = (int)Math.Floor(clamped);
        var i1 = Math.Min(size - 1, i0 + 1);
        return (i0, i1, (float)(clamped - i0));
    }
}
