package io.brook.broker.fuzz;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Message;

/**
 * Requests that parse but carry hostile values: every field of a generated {@code *RequestData} (found through its
 * setters, nested structs and collections included) gets a boundary or random value - negative and huge counts and
 * ids, empty, long and internal topic names, the real topic's name and id, zero and random UUIDs. These reach the
 * handlers' own checks, which mutated bytes mostly cannot get past the codec to.
 *
 * <p>Not thread-safe; deterministic for a given {@link Random}.
 */
final class RandomMessages {

    private static final int MAX_DEPTH = 4;
    private static final int MAX_ELEMENTS = 3;

    private final Random random;
    private final String topic;
    private final Uuid topicId;

    RandomMessages(Random random, String topic, Uuid topicId) {
        this.random = random;
        this.topic = topic;
        this.topicId = topicId;
    }

    /** A frame for {@code apiKey} at a random version, or null when the random values cannot be written. */
    byte[] frame(ApiKeys apiKey, int correlationId) {
        List<Short> versions = apiKey.allVersions();
        if (versions.isEmpty()) {
            return null;
        }
        short version = versions.get(random.nextInt(versions.size()));
        ApiMessage message = apiKey.messageType.newRequest();
        fill(message, 0);
        try {
            return SeedFrames.encode(apiKey, version, correlationId, message);
        } catch (RuntimeException e) {
            // A value this version has no field for, or null where null is not allowed.
            return null;
        }
    }

    private void fill(Message message, int depth) {
        for (Method setter : message.getClass().getMethods()) {
            if (!setter.getName().startsWith("set") || setter.getParameterCount() != 1
                    || Modifier.isStatic(setter.getModifiers()) || random.nextInt(3) == 0) {
                continue;
            }
            Object value = valueFor(setter.getParameterTypes()[0], setter.getGenericParameterTypes()[0],
                    setter.getName(), depth);
            if (value == NO_VALUE) {
                continue;
            }
            try {
                setter.invoke(message, value);
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                // Leave the default.
            }
        }
    }

    private static final Object NO_VALUE = new Object();

    private Object valueFor(Class<?> type, Type generic, String name, int depth) {
        if (type == int.class) {
            return pickInt();
        }
        if (type == short.class) {
            return (short) pickInt();
        }
        if (type == long.class) {
            return random.nextBoolean() ? (long) pickInt() : pickLong();
        }
        if (type == byte.class) {
            return (byte) pickInt();
        }
        if (type == boolean.class) {
            return random.nextBoolean();
        }
        if (type == double.class) {
            return random.nextBoolean() ? Double.NaN : random.nextDouble() * 1e6;
        }
        if (type == String.class) {
            return pickString();
        }
        if (type == Uuid.class) {
            return switch (random.nextInt(3)) {
                case 0 -> Uuid.ZERO_UUID;
                case 1 -> topicId;
                default -> Uuid.randomUuid();
            };
        }
        if (type == byte[].class) {
            byte[] bytes = new byte[random.nextInt(16)];
            random.nextBytes(bytes);
            return bytes;
        }
        if (depth >= MAX_DEPTH) {
            return NO_VALUE;
        }
        if (Message.class.isAssignableFrom(type)) {
            return newMessage(type, depth);
        }
        if (type == List.class && generic instanceof ParameterizedType parameterized) {
            return listOf(parameterized.getActualTypeArguments()[0], name, depth);
        }
        if (Collection.class.isAssignableFrom(type) && !type.isInterface()) {
            return implicitCollection(type, depth);
        }
        return NO_VALUE;
    }

    private Object listOf(Type elementType, String name, int depth) {
        if (!(elementType instanceof Class<?> element)) {
            return NO_VALUE;
        }
        List<Object> list = new ArrayList<>();
        int count = random.nextInt(MAX_ELEMENTS + 1);
        for (int i = 0; i < count; i++) {
            Object value = element == Integer.class
                    ? pickInt()
                    : element == Long.class
                            ? pickLong()
                            : element == String.class
                                    ? pickString()
                                    : element == Uuid.class
                                            ? topicId
                                            : valueFor(element, element, name, depth + 1);
            if (value == NO_VALUE) {
                return NO_VALUE;
            }
            list.add(value);
        }
        return list;
    }

    /** The generated {@code ImplicitLinkedHashMultiCollection} subclasses: element type from the superclass. */
    @SuppressWarnings("unchecked")
    private Object implicitCollection(Class<?> type, int depth) {
        try {
            Collection<Object> collection = (Collection<Object>) type.getConstructor().newInstance();
            if (type.getGenericSuperclass() instanceof ParameterizedType parameterized
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
                int count = random.nextInt(MAX_ELEMENTS + 1);
                for (int i = 0; i < count; i++) {
                    Object value = newMessage(element, depth + 1);
                    if (value != NO_VALUE) {
                        collection.add(value);
                    }
                }
            }
            return collection;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NO_VALUE;
        }
    }

    private Object newMessage(Class<?> type, int depth) {
        try {
            Message message = (Message) type.getConstructor().newInstance();
            fill(message, depth + 1);
            return message;
        } catch (ReflectiveOperationException e) {
            return NO_VALUE;
        }
    }

    private int pickInt() {
        return switch (random.nextInt(8)) {
            case 0 -> -1;
            case 1 -> 0;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> random.nextInt();
            default -> random.nextInt(5);
        };
    }

    private long pickLong() {
        return switch (random.nextInt(5)) {
            case 0 -> -1L;
            case 1 -> Long.MAX_VALUE;
            case 2 -> Long.MIN_VALUE;
            case 3 -> random.nextLong();
            default -> random.nextInt(100);
        };
    }

    private String pickString() {
        return switch (random.nextInt(9)) {
            case 0 -> "";
            case 1 -> null;
            case 2, 3 -> topic;
            case 4 -> "__consumer_offsets";
            case 5 -> "x".repeat(300);
            case 6 -> "../../etc";
            case 7 -> "fuzz-" + random.nextInt(4);
            default -> Long.toHexString(random.nextLong());
        };
    }
}
