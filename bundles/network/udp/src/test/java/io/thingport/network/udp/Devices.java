package io.thingport.network.udp;

import io.thingport.api.network.TlsMaterial;
import io.thingport.network.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/** Test devices: a plain {@link DatagramSocket} and a Scandium DTLS client, both on 127.0.0.1. */
final class Devices {
    private Devices() {
    }

    /** A device with its own UDP socket (its own address). */
    static final class Plain implements AutoCloseable {
        final DatagramSocket socket;
        private final InetSocketAddress server;

        Plain(InetSocketAddress server) {
            this.server = new InetSocketAddress("127.0.0.1", server.getPort());
            try {
                socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        Plain send(String text) {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        Plain send(byte[] bytes) {
            try {
                socket.send(new DatagramPacket(bytes, bytes.length, server));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** The next datagram as UTF-8 text, or {@code null} when none comes within {@code millis}. */
        String receive(int millis) {
            byte[] buffer = new byte[70_000];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.setSoTimeout(millis);
                socket.receive(packet);
                return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A DTLS device (Scandium client connector). */
    static final class Dtls implements AutoCloseable {
        private final DTLSConnector connector;
        private final InetSocketAddress server;
        final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

        private Dtls(DTLSConnector connector, InetSocketAddress server) {
            this.connector = connector;
            this.server = new InetSocketAddress("127.0.0.1", server.getPort());
            connector.setRawDataReceiver(raw -> inbox.add(new String(raw.getBytes(), StandardCharsets.UTF_8)));
            try {
                connector.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Dtls psk(InetSocketAddress server, String identity, String key) {
            return psk(server, identity, key, 0);
        }

        /** A PSK device on a given local port (0: any). */
        static Dtls psk(InetSocketAddress server, String identity, String key, int localPort) {
            Configuration c = configuration();
            return new Dtls(new DTLSConnector(DtlsConnectorConfig.builder(c).setAddress(new InetSocketAddress("127.0.0.1", localPort))
                    .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.UTF_8))).build()), server);
        }

        /** Trusting the test CA, presenting {@code certificate} ("client", "rogue") or none ({@code null}). */
        static Dtls x509(InetSocketAddress server, String certificate) {
            TestPki pki = TestPki.get();
            Configuration c = configuration();
            DtlsConnectorConfig.Builder b = DtlsConnectorConfig.builder(c).setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedCertificateVerifier(
                            StaticNewAdvancedCertificateVerifier.builder().setTrustedCertificates(pki.ca()).build());
            if (certificate != null) {
                TlsMaterial m = TlsMaterial.fromPem(certificate, pki.pem(certificate + ".crt"), pki.pem(certificate + ".key"), null);
                b.setCertificateIdentityProvider(new SingleCertificateProvider(m.key(), m.chain().toArray(new X509Certificate[0]),
                        CertificateType.X_509));
            }
            return new Dtls(new DTLSConnector(b.build()), server);
        }

        private static Configuration configuration() {
            UdpConfig.register();
            DtlsConfig.register();
            Configuration c = new Configuration(Configuration.createStandardWithoutFile());
            c.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
            c.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2);
            // A wrong PSK is not answered (records with a bad MAC are dropped silently): give up after ~4 s.
            c.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 600, TimeUnit.MILLISECONDS);
            return c;
        }

        /** Sends one datagram; the stage completes when it was sent (after the handshake) or fails with the handshake. */
        CompletableFuture<Void> send(String text) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            connector.send(RawData.outbound(bytes, new AddressEndpointContext(server), new MessageCallback() {
                @Override
                public void onConnecting() {
                }

                @Override
                public void onDtlsRetransmission(int flight) {
                }

                @Override
                public void onContextEstablished(EndpointContext context) {
                }

                @Override
                public void onSent() {
                    sent.complete(null);
                }

                @Override
                public void onError(Throwable error) {
                    sent.completeExceptionally(error);
                }
            }, false));
            return sent;
        }

        /** Sends and waits until it was sent; {@code false} when it failed (handshake refused) within 20 s. */
        boolean sendAndWait(String text) {
            try {
                send(text).get(20, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        int localPort() {
            return connector.getAddress().getPort();
        }

        String receive(int millis) {
            try {
                return inbox.poll(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public void close() {
            connector.destroy();
        }
    }
}
