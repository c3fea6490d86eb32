package dev.courier.http;

import dev.courier.config.TargetSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The TLS material of a named target, read from PEM files with OkHttp's {@code okhttp-tls}: the CAs its certificate
 * must chain to ({@code ca-file}, instead of the system's), and a client certificate with its PKCS#8 key for mutual
 * TLS. Certificates and host names are always verified; nothing here can turn that off. Read once, at start.
 */
final class TargetTls {

    private static final Pattern CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    private TargetTls() {
    }

    /**
     * Sets {@code builder}'s socket factory and trust manager for {@code target}; leaves it alone when the target has
     * no TLS material of its own.
     *
     * @throws IllegalArgumentException naming the key and file that cannot be used
     */
    static void configure(OkHttpClient.Builder builder, TargetSettings target) {
        if (!target.hasOwnTls()) {
            return;
        }
        HandshakeCertificates.Builder certificates = new HandshakeCertificates.Builder();
        if (target.caFile() != null) {
            List<String> pems = certificates(target, "ca-file", target.caFile());
            for (String pem : pems) {
                certificates.addTrustedCertificate(decode(target, "ca-file", target.caFile(), pem));
            }
        } else {
            certificates.addPlatformTrustedCertificates();
        }
        if (target.clientCertFile() != null) {
            List<String> chain = certificates(target, "client-cert-file", target.clientCertFile());
            String key = read(target, "client-key-file", target.clientKeyFile());
            HeldCertificate held;
            try {
                held = HeldCertificate.decode(chain.get(0) + "\n" + key);
            } catch (IllegalArgumentException e) {
                throw problem(target, "client-key-file", target.clientKeyFile(), "is not a PKCS#8 private key"
                        + " (BEGIN PRIVATE KEY) for the certificate in " + key(target, "client-cert-file")
                        + " (convert one with: openssl pkcs8 -topk8 -nocrypt)");
            }
            List<X509Certificate> intermediates = new ArrayList<>();
            for (String pem : chain.subList(1, chain.size())) {
                intermediates.add(decode(target, "client-cert-file", target.clientCertFile(), pem));
            }
            certificates.heldCertificate(held, intermediates.toArray(X509Certificate[]::new));
        }
        HandshakeCertificates built = certificates.build();
        builder.sslSocketFactory(built.sslSocketFactory(), built.trustManager());
    }

    private static List<String> certificates(TargetSettings target, String key, Path file) {
        Matcher matcher = CERTIFICATE.matcher(read(target, key, file));
        List<String> pems = new ArrayList<>();
        while (matcher.find()) {
            pems.add(matcher.group());
        }
        if (pems.isEmpty()) {
            throw problem(target, key, file, "holds no PEM certificate (BEGIN CERTIFICATE)");
        }
        return pems;
    }

    private static X509Certificate decode(TargetSettings target, String key, Path file, String pem) {
        try {
            return Certificates.decodeCertificatePem(pem);
        } catch (IllegalArgumentException e) {
            throw problem(target, key, file, "holds a certificate that cannot be read: " + e.getMessage());
        }
    }

    private static String read(TargetSettings target, String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw problem(target, key, file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String key(TargetSettings target, String key) {
        return "courier.targets." + target.name() + "." + key;
    }

    private static IllegalArgumentException problem(TargetSettings target, String key, Path file, String what) {
        return new IllegalArgumentException(key(target, key) + " (" + file + ") " + what);
    }
}
