using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MailSync.UnitTests.Architecture;

/// <summary>
/// Which MailSync namespaces each MailSync namespace uses, read from the compiled assemblies (signatures, attributes
/// and method bodies; compiler-generated nested types count for their outer type).
/// </summary>
public static class NamespaceDependencies
{
    public static readonly string[] AssemblyNames = ["MailSync.Grains.Interfaces", "MailSync.Shared", "MailSync.Grains", "MailSync.Api"];

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Graph = new(Read);

    /// <summary>namespace → the other MailSync namespaces it uses.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> All => Graph.Value;

    private static IReadOnlyDictionary<string, IReadOnlySet<string>> Read()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in AssemblyNames)
        {
            using var assembly = AssemblyDefinition.ReadAssembly(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
            foreach (var type in assembly.MainModule.GetTypes())
            {
                var from = NamespaceOf(type);
                if (!IsOurs(from)) continue;
                var used = graph.TryGetValue(from, out var set) ? set : graph[from] = [];
                foreach (var reference in References(type))
                {
                    var to = NamespaceOf(reference);
                    if (IsOurs(to) && to != from) used.Add(to);
                }
            }
        }
        return graph.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
    }

    private static bool IsOurs(string ns) => ns.StartsWith("MailSync.", StringComparison.Ordinal);

    private static string NamespaceOf(TypeReference type)
    {
        while (type is TypeSpecification spec) type = spec.ElementType;
        while (type.DeclaringType is { } outer) type = outer;
        return type.Namespace;
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        if (type.BaseType is { } baseType) foreach (var t in Expand(baseType)) yield return t;
        foreach (var i in type.Interfaces) foreach (var t in Expand(i.InterfaceType)) yield return t;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var field in type.Fields) foreach (var t in Expand(field.FieldType)) yield return t;
        foreach (var property in type.Properties)
        {
            foreach (var t in Expand(property.PropertyType)) yield return t;
            foreach (var a in property.CustomAttributes) yield return a.AttributeType;
        }
        foreach (var method in type.Methods)
        {
            foreach (var t in Expand(method.ReturnType)) yield return t;
            foreach (var p in method.Parameters) foreach (var t in Expand(p.ParameterType)) yield return t;
            foreach (var a in method.CustomAttributes) yield return a.AttributeType;
            if (!method.HasBody) continue;
            foreach (var v in method.Body.Variables) foreach (var t in Expand(v.VariableType)) yield return t;
            foreach (var instruction in method.Body.Instructions)
            {
                foreach (var t in OperandTypes(instruction)) foreach (var e in Expand(t)) yield return e;
            }
        }
    }

    private static IEnumerable<TypeReference> OperandTypes(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference t:
                yield return t;
                break;
            case MethodReference m:
                yield return m.DeclaringType;
                yield return m.ReturnType;
                foreach (var p in m.Parameters) yield return p.ParameterType;
                if (m is GenericInstanceMethod g) foreach (var a in g.GenericArguments) yield return a;
                break;
            case FieldReference f:
                yield return f.DeclaringType;
                yield return f.FieldType;
                break;
        }
    }

    /// <summary>A type and, for arrays, pointers and generic instances, the types inside it.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        yield return type;
        if (type is GenericInstanceType generic)
        {
            foreach (var argument in generic.GenericArguments) foreach (var t in Expand(argument)) yield return t;
        }
        if (type is TypeSpecification spec) foreach (var t in Expand(spec.ElementType)) yield return t;
    }
}
