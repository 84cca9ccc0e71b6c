using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace LabOrchestrator.Server.Tests.Labs;

/// <summary>Builds lab archives in memory, including hostile ones a real tool would refuse to make.</summary>
internal static class LabArchives
{
    public static Dictionary<string, string> FromFolder(string folder, string prefix = "") =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => prefix + Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText);

    public static byte[] TarGz(IReadOnlyDictionary<string, string> files, Action<TarWriter>? extra = null)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }

            extra?.Invoke(tar);
        }

        return buffer.ToArray();
    }

    public static byte[] Zip(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] GzipOf(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public static MultipartFormDataContent Upload(byte[] archive, string fileName)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(archive);
        file.Headers.ContentType = new("application/octet-stream");
        content.Add(file, "archive", fileName);
        return content;
    }
}
