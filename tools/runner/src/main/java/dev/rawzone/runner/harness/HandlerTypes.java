package dev.rawzone.runner.harness;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/** Finds the actual type arguments a handler class gives a generic interface such as {@code RequestHandler<I, O>}. */
final class HandlerTypes {
    private HandlerTypes() {}

    /** The type arguments of {@code target} as implemented by {@code handler}, or null when it does not implement it. */
    static Type[] typeArguments(Class<?> handler, Class<?> target) {
        return search(handler, target, new HashMap<>());
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType) {
            return Object[].class;
        }
        return Object.class; // an unbound type variable or a wildcard
    }

    private static Type[] search(Type type, Class<?> target, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw = rawClass(type);
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (type instanceof ParameterizedType p) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] actual = p.getActualTypeArguments();
            for (int i = 0; i < variables.length && i < actual.length; i++) {
                bindings.put(variables[i], substitute(actual[i], outer));
            }
        }
        if (raw == target) {
            Type[] result = new Type[raw.getTypeParameters().length];
            for (int i = 0; i < result.length; i++) {
                result[i] = bindings.getOrDefault(raw.getTypeParameters()[i], Object.class);
            }
            return result;
        }
        for (Type parent : raw.getGenericInterfaces()) {
            Type[] found = search(parent, target, bindings);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : search(superclass, target, bindings);
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> v) {
            return bindings.getOrDefault(v, Object.class);
        }
        return type;
    }
}
