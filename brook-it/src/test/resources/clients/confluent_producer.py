"""confluent-kafka-python (librdkafka): produce N keyed records with delivery reports.

Usage: confluent_producer.py BOOTSTRAP TOPIC N [COMPRESSION]
COMPRESSION is the producer's compression.type (default none).
Prints one line per successful delivery report: partition<TAB>offset<TAB>key<TAB>value, then exits non-zero if any
report carried an error or a message was left undelivered."""
import sys

from confluent_kafka import Producer

bootstrap, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
compression = sys.argv[4] if len(sys.argv) > 4 else 'none'
errors = []


def on_delivery(err, msg):
    if err is not None:
        errors.append(str(err))
    else:
        print('%d\t%d\t%s\t%s' % (msg.partition(), msg.offset(), msg.key().decode(), msg.value().decode()))


producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'enable.idempotence': True,
                     'compression.type': compression})
for i in range(n):
    while True:
        try:
            producer.produce(topic, key='k%d' % i, value='confluent-%d' % i, on_delivery=on_delivery)
            break
        except BufferError:
            producer.poll(0.1)
    producer.poll(0)
left = producer.flush(30)
if left or errors:
    print('%d undelivered, errors: %s' % (left, errors[:5]), file=sys.stderr)
    sys.exit(1)
