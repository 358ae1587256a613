using System.Text;
using System.Text.Json;
using FaceTools.Engine.Protocol;

namespace FaceTools.Tests;

/// <summary>Request bodies written, and response bodies read, as exact-size arrays.</summary>
public class BodyBufferTests
{
    // Hands out at most a few bytes per Read, as a network stream may.
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));
    }

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(4096)]
    [InlineData(250_000)]
    public void Write_ReturnsExactlyWhatWasWritten(int length)
    {
        string text = new string('x', length);
        byte[] body = BodyBuffer.Write(output =>
        {
            using var writer = new Utf8JsonWriter(output);
            writer.WriteStartObject();
            writer.WriteString("Text", text);
            writer.WriteEndObject();
        });

        Assert.Equal("{\"Text\":\"" + text + "\"}", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Write_InSmallSteps_GrowsAndKeepsEveryByte()
    {
        byte[] expected = Bytes(20_000);
        byte[] body = BodyBuffer.Write(output =>
        {
            for (int i = 0; i < expected.Length; i += 3)
            {
                int n = Math.Min(3, expected.Length - i);
                expected.AsSpan(i, n).CopyTo(output.GetSpan(n));
                output.Advance(n);
            }
        });

        Assert.Equal(expected, body);
    }

    [Fact]
    public void Write_RefusesToAdvancePastTheBuffer()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyBuffer.Write(output => output.Advance(output.GetSpan(1).Length + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyBuffer.Write(output => output.Advance(-1)));
    }

    [Theory]
    [InlineData(5000, 5000)]   // the declared length is the body's
    [InlineData(5000, 9000)]   // declared longer: the body was cut short
    [InlineData(5000, 100)]    // declared shorter: the rest is still read
    [InlineData(5000, 3_000_000_000L)] // a length no answer has: the array is not sized from it
    [InlineData(2_000_000, 2_000_000)] // longer than the largest array sized up front
    [InlineData(5000, 0)]      // no length declared
    [InlineData(5000, -1)]
    [InlineData(0, 0)]
    [InlineData(0, 10)]
    public void ReadAll_ReadsTheWholeBody_WhateverLengthWasDeclared(int actual, long declared)
    {
        byte[] data = Bytes(actual);
        foreach (int step in new[] { 1, 7, 4096, int.MaxValue })
            Assert.Equal(data, BodyBuffer.ReadAll(new TrickleStream(data, step), declared));
    }

    [Fact]
    public void ReadAll_OfNoStream_IsEmpty()
    {
        Assert.Empty(BodyBuffer.ReadAll(null, 10));
    }
}
