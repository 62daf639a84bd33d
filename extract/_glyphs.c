/* The per-object loops of extraction in C: each character of a PDFium text page as
 * pdfplumber's dict, boxed as pdfminer boxes it; each path segment made into ruling edges
 * (pdfium_pages.py); characters clustered into lines and cut into words (layout.py).  In
 * Python, with four ctypes calls per glyph and three per path segment, they cost half of
 * extraction (issue 13).  PDFium's functions come from pypdfium2's library, their addresses
 * handed over once by bind(); this file links against nothing but Python.  The arithmetic is
 * that of the Python it replaced, step for step, in doubles, so that boxes, edges and words
 * are the same to the last bit (built with -ffp-contract=off).  The Python modules state the
 * rules. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } Rect;
typedef struct { float a, b, c, d, e, f; } Matrix;

static int (*count_chars)(void *);
static int (*get_text)(void *, int, int, unsigned short *);
static unsigned int (*get_unicode)(void *, int);
static int (*is_generated)(void *, int);
static int (*map_error)(void *, int);
static int (*loose_box)(void *, int, Rect *);
static int (*char_origin)(void *, int, double *, double *);
static int (*char_matrix)(void *, int, Matrix *);
static double (*font_size)(void *, int);
static void *(*text_object)(void *, int);
static void *(*text_font)(void *);
static int (*font_descent)(void *, float, float *);

static int (*count_objects)(void *);
static void *(*get_object)(void *, int);
static int (*object_type)(void *);
static int (*object_matrix)(void *, Matrix *);
static int (*object_bounds)(void *, float *, float *, float *, float *);
static int (*form_count)(void *);
static void *(*form_object)(void *, unsigned long);
static int (*draw_mode)(void *, int *, int *);
static int (*count_segments)(void *);
static void *(*get_segment)(void *, int);
static int (*segment_point)(void *, float *, float *);
static int (*segment_type)(void *);
static int (*segment_close)(void *);

static PyObject *hypot_function;  /* math.hypot: Python's own, which libm's may differ from */
static PyObject *key_object_type, *key_text, *key_x0, *key_x1, *key_top, *key_bottom,
    *key_doctop, *key_width, *key_height, *key_size, *key_upright, *value_char, *value_space,
    *value_hyphen;

/* PDFium's functions, in the order bind() takes their addresses (pdfium_pages.FUNCTIONS). */
static void **functions[] = {
    (void **)&count_chars, (void **)&get_text, (void **)&get_unicode, (void **)&is_generated,
    (void **)&map_error, (void **)&loose_box, (void **)&char_origin, (void **)&char_matrix,
    (void **)&font_size, (void **)&text_object, (void **)&text_font, (void **)&font_descent,
    (void **)&count_objects, (void **)&get_object, (void **)&object_type, (void **)&object_matrix,
    (void **)&object_bounds, (void **)&form_count, (void **)&form_object, (void **)&draw_mode,
    (void **)&count_segments, (void **)&get_segment, (void **)&segment_point, (void **)&segment_type,
    (void **)&segment_close,
};

static PyObject *bind(PyObject *self, PyObject *addresses) {
    (void)self;
    size_t count = sizeof functions / sizeof *functions;
    if (!PyTuple_Check(addresses) || (size_t)PyTuple_GET_SIZE(addresses) != count)
        return PyErr_Format(PyExc_TypeError, "bind() takes the addresses of %zu functions", count);
    for (size_t i = 0; i < count; i++) {
        unsigned long long address = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(addresses, i));
        if (PyErr_Occurred())
            return NULL;
        *functions[i] = (void *)(uintptr_t)address;
    }
    Py_RETURN_NONE;
}

/* The page's text as code points, one per character: PDFium's text (UTF-16, read as Python's
 * "utf-16-le" codec with errors="replace" reads it), or each character's Unicode value where
 * that text does not hold one code point per character. */
static uint32_t *page_text(void *page, int count) {
    unsigned short *units = calloc((size_t)count + 1, sizeof *units);
    uint32_t *text = malloc((size_t)count * sizeof *text);
    if (!units || !text) {
        free(units);
        free(text);
        PyErr_NoMemory();
        return NULL;
    }
    get_text(page, 0, count, units);
    int length = 0;
    for (int i = 0; i < count; i++, length++) {
        unsigned short unit = units[i];
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < count && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            text[length] = 0x10000 + ((uint32_t)(unit - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            i++;
        } else {
            text[length] = (unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit;
        }
    }
    free(units);
    if (length != count)
        for (int i = 0; i < count; i++)
            text[i] = get_unicode(page, i);
    return text;
}

static int put(PyObject *dict, PyObject *key, PyObject *value) {
    if (!value)
        return -1;
    int failed = PyDict_SetItem(dict, key, value);
    Py_DECREF(value);
    return failed;
}

static PyObject *char_dict(PyObject *text, double x0, double x1, double top, double bottom,
                           double doctop, double size, int upright) {
    PyObject *dict = PyDict_New();
    if (!dict)
        return NULL;
    if (PyDict_SetItem(dict, key_object_type, value_char) || PyDict_SetItem(dict, key_text, text) ||
        put(dict, key_x0, PyFloat_FromDouble(x0)) || put(dict, key_x1, PyFloat_FromDouble(x1)) ||
        put(dict, key_top, PyFloat_FromDouble(top)) || put(dict, key_bottom, PyFloat_FromDouble(bottom)) ||
        put(dict, key_doctop, PyFloat_FromDouble(doctop + top)) ||
        put(dict, key_width, PyFloat_FromDouble(x1 - x0)) ||
        put(dict, key_height, PyFloat_FromDouble(bottom - top)) ||
        put(dict, key_size, PyFloat_FromDouble(size)) ||
        PyDict_SetItem(dict, key_upright, upright ? Py_True : Py_False)) {
        Py_DECREF(dict);
        return NULL;
    }
    return dict;
}

static int append(PyObject *list, PyObject *item) {
    if (!item)
        return -1;
    int failed = PyList_Append(list, item);
    Py_DECREF(item);
    return failed;
}

/* chars(text_page, (a, b, c, d, e, f), mb_x0, mb_top, height, doctop): the characters in
 * PDFium's order, or None when a glyph has no Unicode mapping. */
static PyObject *chars(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long handle;
    double a, b, c, d, e, f, mb_x0, mb_top, height, doctop;
    if (!count_chars) {
        PyErr_SetString(PyExc_RuntimeError, "bind() PDFium's functions first");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "K(dddddd)dddd", &handle, &a, &b, &c, &d, &e, &f, &mb_x0, &mb_top,
                          &height, &doctop))
        return NULL;
    void *page = (void *)(uintptr_t)handle;
    PyObject *result = PyList_New(0);
    int count = count_chars(page);
    if (!result || count <= 0)
        return result;
    uint32_t *text = page_text(page, count);
    if (!text) {
        Py_DECREF(result);
        return NULL;
    }
    int plain = a == 1 && b == 0 && c == 0 && d == 1;
    double x_shift = e + mb_x0, flip = mb_top + height;
    Rect rect = {0};
    Matrix matrix = {0};
    float descent = 0;
    double origin_x = 0, origin_y = 0, size = 0, lift = 0, pending = 0;
    int upright = 1, simple = 1, has_pending = 0;
    void *current = NULL;
    for (int index = 0; index < count; index++) {
        uint32_t point = text[index];
        PyObject *glyph;
        if (point == ' ' || point == '\r' || point == '\n') {
            if (is_generated(page, index)) {
                if (point == ' ' && text_object(page, index)) {
                    /* a space PDFium made of a kerning gap: a printed space began here */
                    char_origin(page, index, &origin_x, &origin_y);
                    pending = a * origin_x + c * origin_y + e + mb_x0;
                    has_pending = 1;
                }
                continue;
            }
            glyph = point == ' ' ? (Py_INCREF(value_space), value_space) : PyUnicode_FromOrdinal(point);
        } else if (point == 0) {
            continue;
        } else if (point == 0xFFFE || point == 0x02) {
            glyph = (Py_INCREF(value_hyphen), value_hyphen);
        } else {
            glyph = PyUnicode_FromOrdinal(point);
        }
        if (!glyph)
            goto failed;
        void *object = text_object(page, index);
        if (object != current) {
            current = object;
            char_matrix(page, index, &matrix);
            double ma = matrix.a, mb = matrix.b, mc = matrix.c, md = matrix.d;
            double scale;
            if (mb == 0 && mc == 0) {
                scale = fabs(md);
            } else {
                PyObject *value = PyObject_CallFunction(hypot_function, "dd", mc, md);
                if (!value) {
                    Py_DECREF(glyph);
                    goto failed;
                }
                scale = PyFloat_AsDouble(value);
                Py_DECREF(value);
            }
            size = font_size(page, index) * scale;
            double ta = ma * a + mb * c, tb = ma * b + mb * d, tc = mc * a + md * c, td = mc * b + md * d;
            upright = ta * td > 0 && tb * tc <= 0;
            simple = plain && upright && mb == 0 && mc == 0;
            double ratio = font_descent(text_font(object), 1000.0f, &descent) ? descent / 1000.0 : 0.0;
            lift = ratio * size * (md > 0 ? 1 : -1);
        }
        if (map_error(page, index)) {
            Py_DECREF(glyph);
            free(text);
            Py_DECREF(result);
            Py_RETURN_NONE;
        }
        loose_box(page, index, &rect);
        double x0, x1, top, bottom;
        if (simple) {
            char_origin(page, index, &origin_x, &origin_y);
            x0 = rect.left + x_shift;
            x1 = rect.right + x_shift;
            bottom = flip - (origin_y + f) - lift;
            top = bottom - size;
        } else { /* turned text: PDFium's box in device space */
            double left = rect.left, up = rect.top, right = rect.right, down = rect.bottom;
            double px0 = a * left + c * up + e + mb_x0, ptop = mb_top + height - (b * left + d * up + f);
            double px1 = a * right + c * down + e + mb_x0, pbottom = mb_top + height - (b * right + d * down + f);
            x0 = px1 < px0 ? px1 : px0;
            x1 = px0 < px1 ? px1 : px0;
            top = pbottom < ptop ? pbottom : ptop;
            bottom = ptop < pbottom ? pbottom : ptop;
            if (upright)
                top = bottom - size;
        }
        if (has_pending) {
            if (pending < x0 - 0.05 * size &&
                append(result, char_dict(value_space, pending, x0, top, bottom, doctop, size, upright))) {
                Py_DECREF(glyph);
                goto failed;
            }
            has_pending = 0;
        }
        int failure = append(result, char_dict(glyph, x0, x1, top, bottom, doctop, size, upright));
        Py_DECREF(glyph);
        if (failure)
            goto failed;
    }
    free(text);
    return result;
failed:
    free(text);
    Py_DECREF(result);
    return NULL;
}

/* ---- ruling edges: the page's path objects (form XObjects entered) as rulings.py's tuples ---- */

static PyObject *value_h, *value_v, *value_empty;

/* FPDF_PAGEOBJ_* and FPDF_SEGMENT_* of PDFium's fpdf_edit.h */
enum { TEXT = 1, PATH = 2, IMAGE = 3, FORM = 5, MOVETO = 2, BEZIERTO = 1 };

typedef struct { void *object; int placed; double m[6]; } Entry;     /* placed: has an outer matrix */
typedef struct { double x, y; } Point;
typedef struct { void *data; size_t size, used, item; } Array;

static int grow(Array *array, size_t more) {
    if (array->used + more <= array->size)
        return 0;
    size_t size = array->size ? array->size * 2 : 64;
    while (size < array->used + more)
        size *= 2;
    void *data = realloc(array->data, size * array->item);
    if (!data) {
        PyErr_NoMemory();
        return -1;
    }
    array->data = data;
    array->size = size;
    return 0;
}

static int edge(PyObject *list, PyObject *way, double x0, double top, double x1, double bottom, double length) {
    return append(list, Py_BuildValue("(Oddddd)", way, x0, top, x1, bottom, length));
}

/* One subpath's edges, as pdfplumber makes them from pdfminer's LTLine, LTRect and LTCurve. */
static int edges(const char *ops, size_t count, const Point *p, PyObject *lines, PyObject *rects, PyObject *curves) {
    if ((count == 2 && !memcmp(ops, "ml", 2)) || (count == 3 && !memcmp(ops, "mlh", 3))) {
        double ax = p[0].x, ay = p[0].y, bx = p[1].x, by = p[1].y;
        double x0 = bx < ax ? bx : ax, x1 = ax < bx ? bx : ax, top = by < ay ? by : ay, bottom = ay < by ? by : ay;
        if (top == bottom)
            return edge(lines, value_h, x0, top, x1, bottom, x1 - x0);
        return edge(lines, value_v, x0, top, x1, bottom, bottom - top); /* a sloping line counts as vertical */
    }
    if (count == 5 && (!memcmp(ops, "mlllh", 5) || !memcmp(ops, "mllll", 5))) {
        double x0 = p[0].x, y0 = p[0].y, x1 = p[1].x, y1 = p[1].y, x2 = p[2].x, y2 = p[2].y, x3 = p[3].x, y3 = p[3].y;
        if (p[0].x == p[4].x && p[0].y == p[4].y &&
            ((x0 == x1 && y1 == y2 && x2 == x3 && y3 == y0) || (y0 == y1 && x1 == x2 && y2 == y3 && x3 == x0))) {
            double left = x2 < x0 ? x2 : x0, right = x0 < x2 ? x2 : x0;
            double top = y2 < y0 ? y2 : y0, bottom = y0 < y2 ? y2 : y0;
            double width = right - left, height = bottom - top;
            return edge(rects, value_h, left, top, right, top, width) ||
                   edge(rects, value_h, left, top + height, right, bottom, width) ||
                   edge(rects, value_v, left, top, left, bottom, height) ||
                   edge(rects, value_v, right, top, right, bottom, height);
        }
    }
    for (size_t i = 0; i + 1 < count; i++) {
        double ax = p[i].x, ay = p[i].y, bx = p[i + 1].x, by = p[i + 1].y;
        if (ax == bx) {
            if (edge(curves, value_v, ax, by < ay ? by : ay, bx, ay < by ? by : ay, fabs(ay - by)))
                return -1;
        } else if (ay == by) {
            if (edge(curves, value_h, bx < ax ? bx : ax, ay, ax < bx ? bx : ax, by, fabs(ax - bx)))
                return -1;
        }
    }
    return 0;
}

/* A painted path's subpaths as pdfminer's paint_path sees them ("m", "l", "c", "h"; a Bézier
 * by its end point), in pdfplumber's coordinates, each made into edges. */
static int path_edges(void *object, const double *m, const double *ctm, double mb_x0, double flip,
                      Array *ops, Array *points, PyObject *lines, PyObject *rects, PyObject *curves) {
    int fill = 0, stroke = 0;
    draw_mode(object, &fill, &stroke);
    if (!fill && !stroke)
        return 0; /* a clipping path only: pdfminer paints nothing for "n" */
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5];
    float x = 0, y = 0;
    int bezier = 0, segments = count_segments(object);
    size_t start = 0; /* where the current subpath begins in ops and points */
    ops->used = points->used = 0;
    for (int index = 0; index < segments; index++) {
        if ((!(index & 0xFFF) && PyErr_CheckSignals()) || grow(ops, 2) || grow(points, 2))
            return -1; /* the time limit's alarm, or memory */
        void *segment = get_segment(object, index);
        segment_point(segment, &x, &y);
        double px = x, py = y;
        double ux = a * px + c * py + e, uy = b * px + d * py + f;
        Point at = {ctm[0] * ux + ctm[2] * uy + ctm[4] + mb_x0, flip - (ctm[1] * ux + ctm[3] * uy + ctm[5])};
        int kind = segment_type(segment);
        char op = 0;
        if (kind == MOVETO || ops->used == 0) {
            if (ops->used && edges((char *)ops->data + start, ops->used - start, (Point *)points->data + start,
                                   lines, rects, curves))
                return -1;
            start = ops->used;
            op = 'm';
        } else if (kind == BEZIERTO) {
            if (++bezier % 3 == 0)
                op = 'c';
        } else {
            op = 'l';
        }
        if (op) {
            ((char *)ops->data)[ops->used++] = op;
            ((Point *)points->data)[points->used++] = at;
        }
        Point *first = (Point *)points->data + start, *last = (Point *)points->data + points->used - 1;
        if (segment_close(segment) && (last->x != first->x || last->y != first->y)) {
            /* "h" back to the start; PDFium's "re" already ends there (pdfminer's "mllll") */
            ((char *)ops->data)[ops->used++] = 'h';
            ((Point *)points->data)[points->used++] = *first;
        }
    }
    if (ops->used > start)
        return edges((char *)ops->data + start, ops->used - start, (Point *)points->data + start, lines, rects, curves);
    return 0;
}

/* graphics(page, (a, b, c, d, e, f), mb_x0, mb_top, height): (edges in pdfplumber's order:
 * lines, rectangles' sides, curves' segments; where text objects without width stand; whether
 * the page holds an image). */
static PyObject *graphics(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long handle;
    double ctm[6], mb_x0, mb_top, height;
    if (!count_objects) {
        PyErr_SetString(PyExc_RuntimeError, "bind() PDFium's functions first");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "K(dddddd)ddd", &handle, &ctm[0], &ctm[1], &ctm[2], &ctm[3], &ctm[4], &ctm[5],
                          &mb_x0, &mb_top, &height))
        return NULL;
    void *page = (void *)(uintptr_t)handle;
    double flip = mb_top + height;
    PyObject *lines = PyList_New(0), *rects = PyList_New(0), *curves = PyList_New(0), *blanks = PyList_New(0);
    PyObject *result = NULL;
    Array stack = {NULL, 0, 0, sizeof(Entry)}, ops = {NULL, 0, 0, 1}, points = {NULL, 0, 0, sizeof(Point)};
    int images = 0;
    if (!lines || !rects || !curves || !blanks)
        goto done;
    int count = count_objects(page);
    if (count > 0 && grow(&stack, (size_t)count))
        goto done;
    for (int i = count - 1; i >= 0; i--)
        ((Entry *)stack.data)[stack.used++] = (Entry){get_object(page, i), 0, {0}};
    Matrix matrix = {0};
    float left, bottom, right, top;
    while (stack.used) {
        Entry entry = ((Entry *)stack.data)[--stack.used];
        int kind = object_type(entry.object);
        if (kind == TEXT) {
            if (object_bounds(entry.object, &left, &bottom, &right, &top) && (double)right - (double)left < 0.01) {
                double x = left, y = bottom;
                if (entry.placed) {
                    const double *o = entry.m;
                    double ox = o[0] * x + o[2] * y + o[4], oy = o[1] * x + o[3] * y + o[5];
                    x = ox;
                    y = oy;
                }
                if (append(blanks, Py_BuildValue("(dd)", ctm[0] * x + ctm[2] * y + ctm[4] + mb_x0,
                                                 flip - (ctm[1] * x + ctm[3] * y + ctm[5]))))
                    goto done;
            }
            continue;
        }
        if (kind == IMAGE) {
            images = 1;
            continue;
        }
        if (kind != PATH && kind != FORM)
            continue;
        object_matrix(entry.object, &matrix);
        double m[6] = {matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f};
        if (entry.placed) { /* m then the outer matrix, as PDF matrices compose */
            const double *n = entry.m;
            double placed[6] = {m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
                                m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
                                m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]};
            memcpy(m, placed, sizeof m);
        }
        if (kind == PATH) {
            if (path_edges(entry.object, m, ctm, mb_x0, flip, &ops, &points, lines, rects, curves))
                goto done;
        } else {
            int inner = form_count(entry.object);
            if (inner > 0 && grow(&stack, (size_t)inner))
                goto done;
            for (int i = inner - 1; i >= 0; i--) {
                Entry child = {form_object(entry.object, (unsigned long)i), 1, {0}};
                memcpy(child.m, m, sizeof m);
                ((Entry *)stack.data)[stack.used++] = child;
            }
        }
    }
    PyObject *all = PySequence_Concat(lines, rects);
    if (all) {
        PyObject *edges_list = PySequence_Concat(all, curves);
        Py_DECREF(all);
        if (edges_list)
            result = Py_BuildValue("(NOO)", edges_list, blanks, images ? Py_True : Py_False);
    }
done:
    free(stack.data);
    free(ops.data);
    free(points.data);
    Py_XDECREF(lines);
    Py_XDECREF(rects);
    Py_XDECREF(curves);
    Py_XDECREF(blanks);
    return result;
}

/* ---- layout.py's steps over characters: pdfplumber's cluster_objects and word splitting ---- */

typedef struct { double key; Py_ssize_t index; } Keyed;

static int by_key(const void *a, const void *b) {
    const Keyed *p = a, *q = b;
    if (p->key < q->key)
        return -1;
    if (p->key > q->key)
        return 1;
    return (p->index > q->index) - (p->index < q->index); /* stable: input order among equals */
}

/* Each item's cluster: keys chaining within ``tolerance`` in key order (ids from 0 up), and
 * the number of clusters; -1 on failure. */
static Py_ssize_t cluster_ids(const double *keys, Py_ssize_t count, double tolerance, Py_ssize_t *ids) {
    Keyed *order = malloc((size_t)(count ? count : 1) * sizeof *order);
    if (!order) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++)
        order[i] = (Keyed){keys[i], i};
    qsort(order, (size_t)count, sizeof *order, by_key);
    Py_ssize_t id = 0;
    double last = count ? order[0].key : 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (order[i].key > last + tolerance)
            id++;
        last = order[i].key;
        ids[order[i].index] = id;
    }
    free(order);
    return count ? id + 1 : 0;
}

/* The items of ``items`` by cluster, each cluster keeping the items' order. */
static PyObject *grouped(PyObject *items, const Py_ssize_t *ids, Py_ssize_t clusters) {
    PyObject *result = PyList_New(clusters);
    if (!result)
        return NULL;
    for (Py_ssize_t c = 0; c < clusters; c++) {
        PyObject *members = PyList_New(0);
        if (!members) {
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, c, members);
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++)
        if (PyList_Append(PyList_GET_ITEM(result, ids[i]), PyList_GET_ITEM(items, i))) {
            Py_DECREF(result);
            return NULL;
        }
    return result;
}

/* cluster(items, keys, tolerance): pdfplumber's cluster_objects over a list and its keys. */
static PyObject *cluster(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *items, *key_list;
    double tolerance;
    if (!PyArg_ParseTuple(args, "O!O!d", &PyList_Type, &items, &PyList_Type, &key_list, &tolerance))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(items);
    if (PyList_GET_SIZE(key_list) != count)
        return PyErr_Format(PyExc_ValueError, "%zd items, %zd keys", count, PyList_GET_SIZE(key_list));
    double *keys = malloc((size_t)(count ? count : 1) * sizeof *keys);
    Py_ssize_t *ids = malloc((size_t)(count ? count : 1) * sizeof *ids);
    PyObject *result = NULL;
    if (!keys || !ids) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++)
        if ((keys[i] = PyFloat_AsDouble(PyList_GET_ITEM(key_list, i))) == -1 && PyErr_Occurred())
            goto done;
    Py_ssize_t clusters = cluster_ids(keys, count, tolerance, ids);
    if (clusters >= 0)
        result = grouped(items, ids, clusters);
done:
    free(keys);
    free(ids);
    return result;
}

static double number(PyObject *dict, PyObject *key) {
    PyObject *value = PyDict_GetItemWithError(dict, key);
    if (!value) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, key);
        return -1;
    }
    return PyFloat_AsDouble(value);
}

/* A word as layout.py keeps it: (text, x0, top, x1, bottom, characters), its bounds the
 * characters' own values, its text with pdfplumber's ligatures spelled out. */
static PyObject *word(PyObject **members, Py_ssize_t count, PyObject *ligature_chars, PyObject *ligatures) {
    PyObject *keys[4] = {key_x0, key_top, key_x1, key_bottom};
    PyObject *bounds[4];
    double values[4];
    for (int k = 0; k < 4; k++) {
        bounds[k] = PyDict_GetItemWithError(members[0], keys[k]);
        if (!bounds[k] || ((values[k] = PyFloat_AsDouble(bounds[k])) == -1 && PyErr_Occurred())) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, keys[k]);
            return NULL;
        }
    }
    PyObject *list = PyList_New(count), *texts = PyList_New(count);
    if (!list || !texts)
        goto failed;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = PyDict_GetItemWithError(members[i], key_text);
        if (!text) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, key_text);
            goto failed;
        }
        Py_INCREF(members[i]);
        PyList_SET_ITEM(list, i, members[i]);
        Py_INCREF(text);
        PyList_SET_ITEM(texts, i, text);
        if (i == 0)
            continue;
        for (int k = 0; k < 4; k++) { /* x0, top: the least; x1, bottom: the greatest */
            PyObject *object = PyDict_GetItemWithError(members[i], keys[k]);
            double value;
            if (!object || ((value = PyFloat_AsDouble(object)) == -1 && PyErr_Occurred())) {
                if (!PyErr_Occurred())
                    PyErr_SetObject(PyExc_KeyError, keys[k]);
                goto failed;
            }
            if (k < 2 ? value < values[k] : value > values[k]) {
                values[k] = value;
                bounds[k] = object;
            }
        }
    }
    PyObject *joined = PyUnicode_Join(value_empty, texts);
    if (!joined)
        goto failed;
    PyObject *disjoint = PyObject_CallMethod(ligature_chars, "isdisjoint", "O", joined);
    if (!disjoint) {
        Py_DECREF(joined);
        goto failed;
    }
    if (disjoint == Py_False) {
        for (Py_ssize_t i = 0; i < count; i++) {
            PyObject *text = PyList_GET_ITEM(texts, i);
            PyObject *spelled = PyDict_GetItemWithError(ligatures, text);
            if (!spelled && PyErr_Occurred()) {
                Py_DECREF(disjoint);
                Py_DECREF(joined);
                goto failed;
            }
            PyObject *replacement = spelled ? spelled : (PyObject_IsTrue(text) ? text : value_empty);
            Py_INCREF(replacement);
            PyList_SET_ITEM(texts, i, replacement);
            Py_DECREF(text);
        }
        Py_SETREF(joined, PyUnicode_Join(value_empty, texts));
    }
    Py_DECREF(disjoint);
    Py_DECREF(texts);
    if (!joined) {
        Py_DECREF(list);
        return NULL;
    }
    return Py_BuildValue("(NOOOON)", joined, bounds[0], bounds[1], bounds[2], bounds[3], list);
failed:
    Py_XDECREF(list);
    Py_XDECREF(texts);
    return NULL;
}

static int blank(PyObject *text) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < length; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, i)))
            return 0;
    return length > 0;
}

/* words(chars, tolerance, ligature_chars, ligatures): layout._words, pdfplumber's
 * iter_chars_to_words on lines of characters clustered by top, each sorted by x0. */
static PyObject *words(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *chars, *ligature_chars, *ligatures;
    double tolerance;
    if (!PyArg_ParseTuple(args, "O!dOO!", &PyList_Type, &chars, &tolerance, &ligature_chars, &PyDict_Type, &ligatures))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(chars);
    size_t size = (size_t)(count ? count : 1);
    double *keys = malloc(size * sizeof *keys);
    Py_ssize_t *ids = malloc(size * sizeof *ids);
    Keyed *order = malloc(size * sizeof *order);
    PyObject **current = malloc(size * sizeof *current);
    PyObject *lines = NULL, *result = PyList_New(0);
    if (!keys || !ids || !order || !current) {
        PyErr_NoMemory();
        goto failed;
    }
    if (!result)
        goto failed;
    for (Py_ssize_t i = 0; i < count; i++)
        if ((keys[i] = number(PyList_GET_ITEM(chars, i), key_top)) == -1 && PyErr_Occurred())
            goto failed;
    Py_ssize_t clusters = cluster_ids(keys, count, tolerance, ids);
    if (clusters < 0 || !(lines = grouped(chars, ids, clusters)))
        goto failed;
    for (Py_ssize_t l = 0; l < clusters; l++) {
        PyObject *line = PyList_GET_ITEM(lines, l);
        Py_ssize_t length = PyList_GET_SIZE(line), used = 0;
        for (Py_ssize_t i = 0; i < length; i++) {
            order[i] = (Keyed){number(PyList_GET_ITEM(line, i), key_x0), i};
            if (order[i].key == -1 && PyErr_Occurred())
                goto failed;
        }
        qsort(order, (size_t)length, sizeof *order, by_key);
        PyObject *last = NULL;
        double last_x0 = 0, last_x1 = 0, last_top = 0;
        for (Py_ssize_t i = 0; i < length; i++) {
            PyObject *c = PyList_GET_ITEM(line, order[i].index);
            PyObject *glyph = PyDict_GetItemWithError(c, key_text);
            if (!glyph) {
                if (!PyErr_Occurred())
                    PyErr_SetObject(PyExc_KeyError, key_text);
                goto failed;
            }
            double x0 = order[i].key, x1 = number(c, key_x1), top = number(c, key_top);
            if (PyErr_Occurred())
                goto failed;
            if (!PyUnicode_Check(glyph)) {
                PyErr_SetString(PyExc_TypeError, "a character's text is not a str");
                goto failed;
            }
            int empty = PyUnicode_GET_LENGTH(glyph) == 0;
            if (blank(glyph) || empty) {
                if (used && append(result, word(current, used, ligature_chars, ligatures)))
                    goto failed;
                used = 0;
                last = NULL;
                /* pdfplumber's split_at_punctuation="" matches the empty text: a word of its own */
                if (empty && append(result, word(&c, 1, ligature_chars, ligatures)))
                    goto failed;
                continue;
            }
            if (last && (x0 < last_x0 || x0 > last_x1 + tolerance || fabs(top - last_top) > tolerance)) {
                if (append(result, word(current, used, ligature_chars, ligatures)))
                    goto failed;
                used = 0;
            }
            current[used++] = c;
            last = c;
            last_x0 = x0;
            last_x1 = x1;
            last_top = top;
        }
        if (used && append(result, word(current, used, ligature_chars, ligatures)))
            goto failed;
    }
    Py_DECREF(lines);
    free(keys);
    free(ids);
    free(order);
    free(current);
    return result;
failed:
    Py_XDECREF(lines);
    Py_XDECREF(result);
    free(keys);
    free(ids);
    free(order);
    free(current);
    return NULL;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "Take the addresses of PDFium's functions, once."},
    {"graphics", graphics, METH_VARARGS, "A page's ruling edges, blank text objects and whether it has images."},
    {"cluster", cluster, METH_VARARGS, "pdfplumber's cluster_objects over items and their keys."},
    {"words", words, METH_VARARGS, "Characters into pdfplumber's words, as layout.py keeps them."},
    {"chars", chars, METH_VARARGS, "A text page's characters as pdfplumber's dicts, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_glyphs", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__glyphs(void) {
    PyObject *math = PyImport_ImportModule("math");
    if (!math)
        return NULL;
    hypot_function = PyObject_GetAttrString(math, "hypot");
    Py_DECREF(math);
    if (!hypot_function)
        return NULL;
    const char *names[] = {"object_type", "text", "x0", "x1", "top", "bottom", "doctop", "width",
                           "height", "size", "upright", "char", " ", "-", "h", "v", ""};
    PyObject **slots[] = {&key_object_type, &key_text, &key_x0, &key_x1, &key_top, &key_bottom,
                          &key_doctop, &key_width, &key_height, &key_size, &key_upright, &value_char,
                          &value_space, &value_hyphen, &value_h, &value_v, &value_empty};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!(*slots[i] = PyUnicode_InternFromString(names[i])))
            return NULL;
    return PyModule_Create(&module);
}
