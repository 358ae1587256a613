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
                case IEnumerable items:
                    var list = new List<object>();
                    foreach (object item in items)
                    {
                        object element = item is PSObject p ? p.BaseObject : item;
                        list.Add(element is string s ? s.Trim() : item);
                    }

                    return list.ToArray();
                default:
                    return inputData;
            }
        }
    }
}
