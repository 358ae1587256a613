using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>
    /// The values of piped objects' properties as PowerShell's parameter binding would convert them: to text, with
    /// the white space around IDs trimmed (the CR of CRLF files included), as <see cref="TrimmedStringAttribute"/>
    /// does for arguments.
    /// </summary>
    internal static class PipelineValues
    {
        /// <summary>The value as text: null stays null, anything else converts as PowerShell converts it to a string.</summary>
        public static string Text(object value)
        {
            object baseValue = Unwrapped(value);
            if (baseValue == null || baseValue is string) return (string)baseValue;
            // Converted whole: a custom object reads as its properties (@{Face=...}), as in PowerShell.
            try
            {
                return LanguagePrimitives.ConvertTo<string>(value);
            }
            catch (PSInvalidCastException)
            {
                return value.ToString();
            }
        }

        /// <summary>A value that binds to a list parameter: each item of a collection (a hashtable is one value), trimmed.</summary>
        public static IReadOnlyList<string> Texts(object value)
        {
            value = Unwrapped(value);
            if (value is string[] strings) return TrimmedStringAttribute.TrimAll(strings);

            if (!IsList(value)) return new[] { Text(value)?.Trim() };
            var texts = new List<string>();
            foreach (object item in (IEnumerable)value) texts.Add(Text(item)?.Trim());
            return texts;
        }

        /// <summary>Whether the value is a collection, which a parameter of one ID does not take (a string or a hashtable is one value).</summary>
        public static bool IsList(object value)
        {
            value = Unwrapped(value);
            return value is IEnumerable && !(value is string) && !(value is IDictionary);
        }

        /// <summary>Why an object without a FaceId property was read as a face ID, for the error that refuses it.</summary>
        public static string NoFaceProperty(object item) =>
            "The input object has no FaceId or FaceIds property, so it was read as a face ID itself." +
            (Unwrapped(item) is IDictionary ? " The keys of a hashtable are not properties: [pscustomobject]@{ ... } makes an object with them." : "");

        private static object Unwrapped(object value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
