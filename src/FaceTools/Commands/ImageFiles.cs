using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using FaceTools.Engine.Operations;

namespace FaceTools.Commands
{
    /// <summary>
    /// Local images for the cmdlets that send them (Add-RekFaceToCollection, Find-RekUser): PowerShell paths resolved
    /// to files, and each file checked against the service's size and format rules before any request.
    /// </summary>
    internal static class ImageFiles
    {
        /// <summary>
        /// The files a -Path (wildcards expanded) or -LiteralPath names, as file-system paths. Problems are written as
        /// errors (through <paramref name="writeError"/>, by default the cmdlet's); folders a wildcard matches are
        /// skipped, a folder named outright is an error.
        /// </summary>
        public static List<string> Resolve(PSCmdlet cmdlet, string path, bool literal, Action<ErrorRecord> writeError = null)
        {
            writeError = writeError ?? cmdlet.WriteError;
            var files = new List<string>();
            ProviderInfo provider;
            var candidates = new List<string>();
            try
            {
                if (literal)
                    candidates.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out PSDriveInfo _));
                else
                    candidates.AddRange(cmdlet.GetResolvedProviderPathFromPSPath(path, out provider));
            }
            catch (ItemNotFoundException exception)
            {
                writeError(new ErrorRecord(exception, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                return files;
            }
            catch (Exception exception) when (exception is ProviderNotFoundException || exception is System.Management.Automation.DriveNotFoundException || exception is PSArgumentException)
            {
                writeError(new ErrorRecord(exception, "InvalidPath", ErrorCategory.InvalidArgument, path));
                return files;
            }

            if (provider == null || provider.Name != "FileSystem")
            {
                writeError(new ErrorRecord(new ArgumentException($"The path '{path}' is not a file system path; images must be files."),
                    "NotFileSystemPath", ErrorCategory.InvalidArgument, path));
                return files;
            }

            bool wildcard = !literal && WildcardPattern.ContainsWildcardCharacters(path);
            foreach (string candidate in candidates)
            {
                if (Directory.Exists(candidate))
                {
                    if (wildcard)
                        cmdlet.WriteVerbose($"Skipped the folder '{candidate}'.");
                    else
                        writeError(new ErrorRecord(new ArgumentException($"The path '{candidate}' is a folder; name its images, for example '{Path.Combine(candidate, "*.jpg")}'."),
                            "PathIsFolder", ErrorCategory.InvalidArgument, candidate));
                    continue;
                }

                if (!File.Exists(candidate))
                {
                    writeError(new ErrorRecord(new ItemNotFoundException($"Cannot find the image '{candidate}' because it does not exist."),
                        "PathNotFound", ErrorCategory.ObjectNotFound, candidate));
                    continue;
                }

                files.Add(candidate);
            }

            if (files.Count == 0 && wildcard) cmdlet.WriteVerbose($"No image matches '{path}'.");
            return files;
        }

        /// <summary>
        /// Reads and checks one image; null after writing an error (too large, not PNG or JPEG, unreadable) through
        /// <paramref name="writeError"/>, by default the cmdlet's.
        /// </summary>
        public static LocalImage Load(PSCmdlet cmdlet, string path, Action<ErrorRecord> writeError = null)
        {
            writeError = writeError ?? cmdlet.WriteError;
            LocalImage image;
            try
            {
                image = LocalImage.Read(path);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                writeError(new ErrorRecord(exception, "ImageNotReadable", ErrorCategory.ReadError, path));
                return null;
            }

            switch (image.Problem)
            {
                case LocalImageProblem.None:
                    return image;
                case LocalImageProblem.TooLarge:
                    writeError(new ErrorRecord(new InvalidOperationException(image.Message), "ImageTooLarge", ErrorCategory.LimitsExceeded, path));
                    return null;
                default:
                    writeError(new ErrorRecord(new InvalidDataException(image.Message), "InvalidImageFormat", ErrorCategory.InvalidData, path));
                    return null;
            }
        }
    }
}
