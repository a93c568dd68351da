using System.Buffers.Binary;
using System.IO.Compression;

namespace Lrn.Experiment;

/// <summary>Images (N x 28 x 28 bytes, row major) and their labels (0..9).</summary>
internal sealed record ImageSet(byte[] Pixels, byte[] Labels, int Rows, int Columns)
{
    public int Count => Labels.Length;

    public int PixelsPerImage => Rows * Columns;

    /// <summary>The first <paramref name="count"/> images (all of them when count is null or larger).</summary>
    public ImageSet Take(int? count)
    {
        if (count is not int n || n >= Count)
        {
            return this;
        }

        return new ImageSet(Pixels[..(n * PixelsPerImage)], Labels[..n], Rows, Columns);
    }
}

/// <summary>
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017: 60000 training and 10000 test images of 28 x 28 grey levels, 10 classes
/// of clothing) read from its gzip'd IDX files, as Debian's package dataset-fashion-mnist installs them; and a tiny
/// synthetic stand-in for checking the pipeline without the data.
/// </summary>
internal static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist puts the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public const int Classes = 10;

    public static readonly string[] ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private const int ImageMagic = 0x00000803;   // unsigned byte data, 3 dimensions
    private const int LabelMagic = 0x00000801;   // unsigned byte data, 1 dimension
    private const int MaxImages = 1_000_000;      // a bound for hostile headers; Fashion-MNIST has 70000
    private const int MaxSide = 1024;

    /// <summary>The four file names, as the data set ships them.</summary>
    public static readonly string[] Files =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>Null when <paramref name="directory"/> holds the four files, else what is missing and how to get it.</summary>
    public static string? Missing(string directory)
    {
        string[] missing = [.. Files.Where(f => !File.Exists(Path.Combine(directory, f)))];
        if (missing.Length == 0)
        {
            return null;
        }

        return $"Fashion-MNIST is not in {directory} (missing {string.Join(", ", missing)}).\n"
            + "On Debian or Ubuntu install it with:\n"
            + "    sudo apt-get install dataset-fashion-mnist     # puts the files in " + DebianDirectory + "\n"
            + "or download the four .gz files from https://github.com/zalandoresearch/fashion-mnist (data/fashion) and pass --data DIR.\n"
            + "To check the pipeline without the data: --quick (a tiny synthetic data set; its numbers mean nothing).";
    }

    public static (ImageSet Train, ImageSet Test) Load(string directory) =>
        (Read(Path.Combine(directory, Files[0]), Path.Combine(directory, Files[1])),
         Read(Path.Combine(directory, Files[2]), Path.Combine(directory, Files[3])));

    public static ImageSet Read(string imagesPath, string labelsPath)
    {
        byte[] images = Gunzip(imagesPath);
        byte[] labels = Gunzip(labelsPath);
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != ImageMagic)
        {
            throw new InvalidDataException($"{imagesPath} is not an IDX file of unsigned bytes with 3 dimensions (magic 0x00000803)");
        }

        if (labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != LabelMagic)
        {
            throw new InvalidDataException($"{labelsPath} is not an IDX file of unsigned bytes with 1 dimension (magic 0x00000801)");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        int labelCount = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        if (count is < 1 or > MaxImages || rows is < 1 or > MaxSide || columns is < 1 or > MaxSide)
        {
            throw new InvalidDataException($"{imagesPath}: implausible dimensions {count} x {rows} x {columns}");
        }

        if ((long)count * rows * columns != images.Length - 16)
        {
            throw new InvalidDataException($"{imagesPath}: the header says {count} x {rows} x {columns} bytes, the file holds {images.Length - 16}");
        }

        if (labelCount != count || labels.Length - 8 != count)
        {
            throw new InvalidDataException($"{labelsPath}: {labelCount} labels in the header, {labels.Length - 8} in the file, for {count} images");
        }

        byte[] y = labels[8..];
        if (y.Any(label => label >= Classes))
        {
            throw new InvalidDataException($"{labelsPath}: a label is outside 0..{Classes - 1}");
        }

        return new ImageSet(images[16..], y, rows, columns);
    }

    /// <summary>
    /// A small data set with Fashion-MNIST's geometry: class c is a bright bar at an angle of c * 18 degrees with noise,
    /// so a tiny network learns something within a few steps. For testing the pipeline; its accuracies mean nothing.
    /// </summary>
    public static ImageSet Synthetic(int count, int seed)
    {
        const int side = 28;
        var random = new Random(seed);
        var pixels = new byte[count * side * side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(Classes);
            labels[i] = (byte)label;
            double angle = label * Math.PI / Classes;
            (double dx, double dy) = (Math.Cos(angle), Math.Sin(angle));
            for (int r = 0; r < side; r++)
            {
                for (int c = 0; c < side; c++)
                {
                    double distance = Math.Abs(((c - 13.5) * dy) - ((r - 13.5) * dx));
                    double value = (distance < 2.5 ? 200 : 20) + (random.NextDouble() * 50);
                    pixels[(i * side * side) + (r * side) + c] = (byte)Math.Min(255, value);
                }
            }
        }

        return new ImageSet(pixels, labels, side, side);
    }

    private static byte[] Gunzip(string path)
    {
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        // Fashion-MNIST's largest file unpacks to 47 MB; refuse anything far beyond.
        const long limit = 1L << 30;
        var buffer = new byte[1 << 16];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            if (memory.Length + read > limit)
            {
                throw new InvalidDataException($"{path} unpacks to more than {limit} bytes");
            }

            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }
}
