using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ValueBot.Manifest.Tests;

/// <summary>The icon checks are only as good as the decoder: every scanline filter must round-trip.</summary>
public sealed class PngImageTests
{
    [Fact]
    public void DecodesEveryScanlineFilter()
    {
        const int width = 7, height = 5, bpp = 4;
        var expected = new byte[height][];
        for (var y = 0; y < height; y++)
        {
            expected[y] = new byte[width * bpp];
            for (var i = 0; i < expected[y].Length; i++)
            {
                expected[y][i] = (byte)((i * 37) + (y * 101) + (i * y * 13));
            }
        }

        var png = Encode(width, height, expected, filterOfRow: y => (byte)y); // rows use filters 0,1,2,3,4
        var image = PngImage.Decode(png);

        Assert.Equal((width, height), (image.Width, image.Height));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var row = expected[y];
                Assert.Equal((row[x * 4], row[(x * 4) + 1], row[(x * 4) + 2], row[(x * 4) + 3]), image[x, y]);
            }
        }
    }

    [Fact]
    public void RefusesAFileThatIsNotAPng()
    {
        Assert.Throws<InvalidDataException>(() => PngImage.ReadSize(Encoding.ASCII.GetBytes("GIF89a-not-a-png")));
    }

    private static byte[] Encode(int width, int height, byte[][] rows, Func<int, byte> filterOfRow)
    {
        const int bpp = 4;
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            var filter = filterOfRow(y);
            raw.WriteByte(filter);
            var prior = y == 0 ? new byte[width * bpp] : rows[y - 1];
            for (var i = 0; i < width * bpp; i++)
            {
                int a = i >= bpp ? rows[y][i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => Paeth(a, b, c),
                };
                raw.WriteByte((byte)(rows[y][i] - predictor));
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(zlib);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;

        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", ihdr);
        var idat = compressed.ToArray();
        WriteChunk(file, "IDAT", idat.AsSpan(0, idat.Length / 2).ToArray()); // split IDAT: the decoder must join them
        WriteChunk(file, "IDAT", idat.AsSpan(idat.Length / 2).ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(type));
        stream.Write(data);
        stream.Write([0, 0, 0, 0]); // the reader does not check CRCs
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
