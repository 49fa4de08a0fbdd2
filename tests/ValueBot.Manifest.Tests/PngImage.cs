using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ValueBot.Manifest.Tests;

/// <summary>
/// A minimal PNG reader for the icon checks: 8-bit RGB or RGBA, not interlaced. Reads IHDR, inflates the
/// concatenated IDAT chunks with <see cref="ZLibStream"/> and undoes the five scanline filters.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly byte[] _pixels;

    private PngImage(int width, int height, int bitDepth, int colorType, byte[] pixels)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        ColorType = colorType;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int BitDepth { get; }

    /// <summary>2 = RGB, 6 = RGBA.</summary>
    public int ColorType { get; }

    public (byte R, byte G, byte B, byte A) this[int x, int y]
    {
        get
        {
            var channels = ColorType == 6 ? 4 : 3;
            var i = ((y * Width) + x) * channels;
            return (_pixels[i], _pixels[i + 1], _pixels[i + 2], channels == 4 ? _pixels[i + 3] : (byte)255);
        }
    }

    public IEnumerable<(int X, int Y, (byte R, byte G, byte B, byte A) Pixel)> Pixels()
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                yield return (x, y, this[x, y]);
            }
        }
    }

    /// <summary>Reads only the IHDR dimensions, without decoding.</summary>
    public static (int Width, int Height) ReadSize(byte[] file)
    {
        var (type, data) = Chunks(file).First();
        if (type != "IHDR")
        {
            throw new InvalidDataException("the first chunk is not IHDR");
        }

        return (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)));
    }

    public static PngImage Decode(byte[] file)
    {
        int width = 0, height = 0, bitDepth = 0, colorType = 0;
        using var idat = new MemoryStream();
        foreach (var (type, data) in Chunks(file))
        {
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[12] != 0)
                    {
                        throw new NotSupportedException("interlaced PNGs are not supported");
                    }

                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
        }

        if (bitDepth != 8 || (colorType != 2 && colorType != 6))
        {
            throw new NotSupportedException($"only 8-bit RGB/RGBA is supported (bit depth {bitDepth}, colour type {colorType})");
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var bpp = colorType == 6 ? 4 : 3;
        var stride = width * bpp;
        var raw = inflated.ToArray();
        if (raw.Length != height * (stride + 1))
        {
            throw new InvalidDataException($"expected {height * (stride + 1)} bytes of scanlines, got {raw.Length}");
        }

        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = raw.AsSpan((y * (stride + 1)) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var prior = y == 0 ? new byte[stride] : pixels.AsSpan((y - 1) * stride, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0;
                int b = prior[i];
                int c = i >= bpp ? prior[i - bpp] : 0;
                row[i] = (byte)(src[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"unknown filter type {filter} on row {y}"),
                });
            }
        }

        return new PngImage(width, height, bitDepth, colorType, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static IEnumerable<(string Type, byte[] Data)> Chunks(byte[] file)
    {
        if (!file.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG file (bad signature)");
        }

        var offset = Signature.Length;
        while (offset + 8 <= file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            var type = Encoding.ASCII.GetString(file, offset + 4, 4);
            var data = file.AsSpan(offset + 8, length).ToArray();
            yield return (type, data);
            offset += 12 + length;
            if (type == "IEND")
            {
                yield break;
            }
        }
    }
}
