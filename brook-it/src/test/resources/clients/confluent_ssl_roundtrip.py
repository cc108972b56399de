"""confluent-kafka-python (librdkafka) over TLS: produce N records, then read them back from the beginning.

Usage: confluent_ssl_roundtrip.py BOOTSTRAP TOPIC N CA_PEM [CERT_PEM KEY_PEM]
With CERT_PEM and KEY_PEM the client presents a certificate (mutual TLS). Prints each value read, in order, and
exits non-zero if a delivery failed or fewer than N records came back within 30 s."""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic, n, ca = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
tls = {'bootstrap.servers': bootstrap, 'security.protocol': 'ssl', 'ssl.ca.location': ca}
if len(sys.argv) > 6:
    tls.update({'ssl.certificate.location': sys.argv[5], 'ssl.key.location': sys.argv[6]})
errors = []


def on_delivery(err, msg):
    if err is not None:
        errors.append(str(err))


producer = Producer(dict(tls, **{'acks': 'all', 'enable.idempotence': True}))
for i in range(n):
    producer.produce(topic, key='k%d' % i, value='tls-%d' % i, partition=0, on_delivery=on_delivery)
    producer.poll(0)
left = producer.flush(30)
if left or errors:
    print('%d undelivered, errors: %s' % (left, errors[:5]), file=sys.stderr)
    sys.exit(1)

consumer = Consumer(dict(tls, **{'group.id': 'unused', 'enable.auto.commit': False}))
consumer.assign([TopicPartition(topic, 0, 0)])
read = 0
deadline = time.time() + 30
while read < n and time.time() < deadline:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        print('consume error: %s' % msg.error(), file=sys.stderr)
        sys.exit(1)
    print(msg.value().decode())
    read += 1
consumer.close()
sys.exit(0 if read == n else 2)
