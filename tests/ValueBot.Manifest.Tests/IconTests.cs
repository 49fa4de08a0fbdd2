namespace ValueBot.Manifest.Tests;

public sealed class IconTests
{
    private static byte[] Icon(string name) => File.ReadAllBytes(Path.Combine(ManifestFiles.Folder, name));

    [Fact]
    public void ColorIconIs192By192()
    {
        Assert.Equal((192, 192), PngImage.ReadSize(Icon("color.png")));
    }

    [Fact]
    public void OutlineIconIs32By32()
    {
        Assert.Equal((32, 32), PngImage.ReadSize(Icon("outline.png")));
    }

    [Fact]
    public void OutlineIconIsOnlyWhiteOnTransparent()
    {
        var png = PngImage.Decode(Icon("outline.png"));
        Assert.Equal(6, png.ColorType); // RGBA: a transparent background needs an alpha channel

        var offending = png.Pixels()
            .Where(p => p.Pixel.A != 0 && (p.Pixel.R, p.Pixel.G, p.Pixel.B) != (255, 255, 255))
            .Take(5)
            .Select(p => $"({p.X},{p.Y})={p.Pixel}")
            .ToList();
        Assert.True(offending.Count == 0, "visible pixels that are not white: " + string.Join(" ", offending));

        Assert.Contains(png.Pixels(), p => p.Pixel.A == 0);
        Assert.Contains(png.Pixels(), p => p.Pixel.A == 255);
    }

    [Fact]
    public void ColorIconHasASolidBackgroundAndACentredSymbol()
    {
        var png = PngImage.Decode(Icon("color.png"));
        Assert.All(png.Pixels(), p => Assert.Equal(255, p.Pixel.A));

        var background = png[0, 0];
        var symbol = png.Pixels().Where(p => p.Pixel != background).ToList();
        Assert.NotEmpty(symbol);

        // Teams asks for a ~96x96 symbol with 48 px padding on every side.
        Assert.True(symbol.Min(p => p.X) >= 48 && symbol.Max(p => p.X) < 144, "symbol strays into the horizontal padding");
        Assert.True(symbol.Min(p => p.Y) >= 48 && symbol.Max(p => p.Y) < 144, "symbol strays into the vertical padding");
        Assert.All(
            png.Pixels().Where(p => p.X < 48 || p.X >= 144 || p.Y < 48 || p.Y >= 144),
            p => Assert.Equal(background, p.Pixel));
    }
}
