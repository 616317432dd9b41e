package dev.notejam.loadtests.observability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smallest SMTP server that accepts mail: enough of RFC 5321 (HELO/EHLO, MAIL, RCPT, DATA, QUIT) for the app's
 * JavaMail client, so the test can read the password-reset link the app mails. Loopback only; one thread.
 */
final class SmtpSink implements AutoCloseable {

	private final ServerSocket server;

	private final List<String> messages = new CopyOnWriteArrayList<>();

	SmtpSink() throws IOException {
		server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
		Thread accept = new Thread(this::serve, "smtp-sink");
		accept.setDaemon(true);
		accept.start();
	}

	int port() {
		return server.getLocalPort();
	}

	List<String> messages() {
		return messages;
	}

	private void serve() {
		while (!server.isClosed()) {
			try (Socket socket = server.accept()) {
				socket.setSoTimeout(10_000);
				converse(socket);
			}
			catch (IOException e) {
				// closed, or a client went away: wait for the next one
			}
		}
	}

	private void converse(Socket socket) throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
		OutputStream out = socket.getOutputStream();
		reply(out, "220 smtp-sink ready");
		String line;
		while ((line = in.readLine()) != null) {
			String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
			switch (verb) {
				case "EHLO", "HELO" -> reply(out, "250 smtp-sink");
				case "DATA" -> {
					reply(out, "354 end with <CRLF>.<CRLF>");
					StringBuilder message = new StringBuilder();
					while ((line = in.readLine()) != null && !line.equals(".")) {
						message.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
					}
					messages.add(message.toString());
					reply(out, "250 queued");
				}
				case "QUIT" -> {
					reply(out, "221 bye");
					return;
				}
				default -> reply(out, "250 ok");
			}
		}
	}

	private static void reply(OutputStream out, String line) throws IOException {
		out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	@Override
	public void close() throws IOException {
		server.close();
	}
}
