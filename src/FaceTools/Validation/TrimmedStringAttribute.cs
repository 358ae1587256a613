using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace FaceTools.Validation
{
    /// <summary>
    /// Trims surrounding white space (including the CR of CRLF files) from string input, so IDs read
    /// from files validate as what they are. Anything that is not a string is passed on unchanged,
    /// for the validation to name.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TrimmedStringAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case string text:
                    return text.Trim();
                case IDictionary _:
                    return inputData;
                case string[] texts:
                    return TrimAll(texts);
                case IEnumerable items:
                    var list = new List<object>();
                    bool allStrings = true;
                    foreach (object item in items)
                    {
                        object element = item is PSObject p ? p.BaseObject : item;
                        allStrings &= element is string;
                        list.Add(element is string s ? s.Trim() : item);
                    }

                    // A string[] binds to a string[] parameter as it is; an object[] is copied and checked element by element.
                    if (!allStrings) return list.ToArray();
                    var strings = new string[list.Count];
                    for (int i = 0; i < strings.Length; i++) strings[i] = (string)list[i];
                    return strings;
                default:
                    return inputData;
            }
        }

        /// <summary>The strings trimmed; copied only when something needs trimming, so the caller's array never changes.</summary>
        internal static string[] TrimAll(string[] texts)
        {
            string[] trimmed = null;
            for (int i = 0; i < texts.Length; i++)
            {
                string text = texts[i]?.Trim();
                if (ReferenceEquals(text, texts[i])) continue;
                if (trimmed == null) trimmed = (string[])texts.Clone();
                trimmed[i] = text;
            }

            return trimmed ?? texts;
        }
    }
}
