package io.thingport.core.internal.shadow;

import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.LogType;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ShadowReply;
import io.thingport.api.message.ShadowRequest;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.shadow.ShadowDocument;
import io.thingport.api.shadow.ShadowService;
import io.thingport.api.shadow.ShadowUpdate;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.storage.Storage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device shadows for applications ({@link ShadowService}) and for devices ({@link #answer}, {@link #offerDelta}). An
 * update reads the stored shadow, applies the update ({@link StoredShadow#apply}) and stores it if nobody changed it
 * meanwhile, else reads again.
 */
@Component(service = {ShadowService.class, ShadowServiceImpl.class})
public final class ShadowServiceImpl implements ShadowService {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowServiceImpl.class);
    private static final int ATTEMPTS = 8;

    private final ShadowStore store;
    private final DeviceServiceImpl devices;
    private final ProductServiceImpl products;
    private final DeviceSessions sessions;
    private final DeviceMessageSenderImpl sender;
    private final DeviceLogServiceImpl log;

    @Activate
    public ShadowServiceImpl(@Reference Storage storage, @Reference DeviceServiceImpl devices, @Reference ProductServiceImpl products,
                             @Reference DeviceSessions sessions, @Reference DeviceMessageSenderImpl sender,
                             @Reference DeviceLogServiceImpl log) {
        this.store = new ShadowStore(storage);
        this.devices = devices;
        this.products = products;
        this.sessions = sessions;
        this.sender = sender;
        this.log = log;
    }

    @Override
    public ShadowDocument get(String deviceId) {
        devices.getDevice(deviceId);
        return view(deviceId, store.load(deviceId).orElse(StoredShadow.EMPTY));
    }

    @Override
    public ShadowDocument update(String deviceId, ShadowUpdate update) {
        ShadowDocument document = change(deviceId, update);
        if (update.touchesDesired()) {
            sessions.find(deviceId).ifPresent(s -> pushDelta(s, document));
        }
        return document;
    }

    @Override
    public ShadowDocument delete(String deviceId) {
        return change(deviceId, null);
    }

    /** Applies an update ({@code null}: a delete) with compare-and-set, reading again when another writer came first. */
    private ShadowDocument change(String deviceId, ShadowUpdate update) {
        Device device = devices.getDevice(deviceId);
        ThingModel model = products.getProduct(device.productId()).thingModel();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StoredShadow read = store.load(deviceId).orElse(StoredShadow.EMPTY);
            long now = Math.max(System.currentTimeMillis(), read.updatedAt() + 1);
            StoredShadow next = update == null ? read.cleared(now) : read.apply(update, model, now);
            if (store.save(deviceId, read, next)) {
                return view(deviceId, next);
            }
        }
        throw ShadowStore.busy(deviceId);
    }

    private ShadowDocument view(String deviceId, StoredShadow stored) {
        return stored.view(deviceId, devices.latestProperties(deviceId), System.currentTimeMillis());
    }

    /**
     * Answers a device's request (blocking: call on a worker thread). A get is answered with the document; an update with
     * the document, then the delta when the desired state changed and differs from the reported one; a refused request
     * with its {@code rejected} reply.
     */
    public List<ShadowReply> answer(DeviceSession session, ShadowRequest request, EncodedMessage raw) {
        boolean get = request.operation() == ShadowRequest.Operation.GET;
        MessageHeader header = MessageHeader.of(request.messageId(), session.productId(), session.deviceId(),
                System.currentTimeMillis());
        log.write(LogType.UPLINK, session.deviceId(), session.productId(), request.type().topicSuffix(), request.messageId(),
                raw.topic(), DeviceLogServiceImpl.rawText(raw.payload()), Json.write(request.body()), "");
        try {
            if (get) {
                return List.of(new ShadowReply(header, ShadowReply.Kind.GET_ACCEPTED, get(session.deviceId())
                        .body(request.clientToken())));
            }
            ShadowUpdate update = ShadowUpdate.parse(request.body());
            ShadowDocument document = change(session.deviceId(), update);
            ShadowReply accepted = new ShadowReply(header, ShadowReply.Kind.UPDATE_ACCEPTED, document.body(update.clientToken()));
            if (update.touchesDesired() && !document.delta().isEmpty()) {
                return List.of(accepted, new ShadowReply(header, ShadowReply.Kind.DELTA, document.deltaBody()));
            }
            return List.of(accepted);
        } catch (ThingportException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", e.code().httpStatus());
            body.put("message", e.getMessage());
            if (request.clientToken() != null) {
                body.put("clientToken", request.clientToken());
            }
            return List.of(new ShadowReply(header, get ? ShadowReply.Kind.GET_REJECTED : ShadowReply.Kind.UPDATE_REJECTED, body));
        }
    }

    /** Pushes the device's delta to its session if there is one (blocking: call on a worker thread). */
    public void offerDelta(DeviceSession session) {
        ShadowDocument document = get(session.deviceId());
        if (!document.delta().isEmpty()) {
            pushDelta(session, document);
        }
    }

    private void pushDelta(DeviceSession session, ShadowDocument document) {
        if (document.delta().isEmpty()) {
            return;
        }
        MessageHeader header = MessageHeader.of(sender.newMessageId(), session.productId(), session.deviceId(),
                System.currentTimeMillis());
        sender.deliver(session, new ShadowReply(header, ShadowReply.Kind.DELTA, document.deltaBody())).exceptionally(e -> {
            LOG.debug("Could not push the shadow delta to device {}: {}", session.deviceId(), e.toString());
            return null;
        });
    }
}
