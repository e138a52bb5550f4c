/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_REGISTER_H
#define IOU_REGISTER_H
#endif
