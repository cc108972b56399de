"""confluent-kafka-python (librdkafka): consume N records as a member of a consumer group with auto-commit, which
commits the last positions when the consumer closes.

Usage: confluent_group_consumer.py BOOTSTRAP TOPIC GROUP N
Prints one line per record: partition<TAB>offset<TAB>key<TAB>value.  Exits non-zero on an error or if fewer than N
records arrive within 60 s."""
import sys
import time

from confluent_kafka import Consumer

bootstrap, topic, group, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                     'enable.auto.commit': True, 'auto.commit.interval.ms': 1000})
consumer.subscribe([topic])
read = 0
deadline = time.monotonic() + 60
try:
    while read < n and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            print('consumer error: %s' % msg.error(), file=sys.stderr)
            sys.exit(1)
        print('%d\t%d\t%s\t%s' % (msg.partition(), msg.offset(), msg.key().decode(), msg.value().decode()))
        read += 1
finally:
    consumer.close()
if read < n:
    print('only %d of %d records arrived' % (read, n), file=sys.stderr)
    sys.exit(1)
